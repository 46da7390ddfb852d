"""The collateral library's writes: the review workflow, comments, ratings, usage, gaps.

draft → in sales review → approved → published → retired. Sales reviews
(approves or sends back with a reason); marketing submits, publishes and retires.
Every step goes through ``collateral_move``, which also lets the rules of
engagement block it (the shipped rule: nothing is published without a sales
reviewer's approval).
"""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accord.directory.models import Person, Segment
from accord.directory.roles import Role
from accord.inbox.services import notification_send
from accord.playbook.access import is_manager, is_marketing, is_sales
from accord.playbook.engine import object_link, rules_fire, rules_guarded
from accord.playbook.models import (
    Collateral,
    CollateralComment,
    CollateralRating,
    CollateralState,
    CollateralUse,
    ContentGap,
    GapStatus,
)

S = CollateralState
NEXT: dict[str, tuple[str, ...]] = {
    S.DRAFT: (S.IN_SALES_REVIEW,),
    S.IN_SALES_REVIEW: (S.APPROVED, S.DRAFT),
    S.APPROVED: (S.PUBLISHED, S.DRAFT),
    S.PUBLISHED: (S.RETIRED,),
    S.RETIRED: (),
}
STEP_LABELS = {
    (S.DRAFT, S.IN_SALES_REVIEW): "Send to sales review",
    (S.IN_SALES_REVIEW, S.APPROVED): "Approve",
    (S.IN_SALES_REVIEW, S.DRAFT): "Send back to marketing",
    (S.APPROVED, S.PUBLISHED): "Publish",
    (S.APPROVED, S.DRAFT): "Rework",
    (S.PUBLISHED, S.RETIRED): "Retire",
}
SALES_STEPS = {(S.IN_SALES_REVIEW, S.APPROVED), (S.IN_SALES_REVIEW, S.DRAFT)}

NO_SKIPPING = (
    "A piece in “{now}” cannot go to “{to}”: the order is draft, sales review, approved, "
    "published, retired."
)
SALES_ONLY = "Only sales (a rep, a sales manager or a revenue leader) reviews collateral."
MARKETING_ONLY = "Only marketing or a manager moves collateral at this step."
REASON_NEEDED = "Say why it goes back, so marketing knows what to change."
COMMENT_EMPTY = "Write a comment first."
COMMENT_TOO_LONG = "Keep a comment under 4,000 characters."
STARS_RANGE = "A rating is 1 to 5 stars."
ONLY_PUBLISHED = "Only published collateral can be rated or marked as used."
FIELD_ONLY = (
    "Ratings and uses come from sales, the people who put the material in front of customers."
)
TITLE_NEEDED = "Give it a title."
GAP_NOT_OPEN = "This request was already picked up or closed."
GAP_NOT_PICKED = "Pick the request up before closing it."
RESOLUTION_NEEDED = "Say how the request was answered (or why not)."


class CollateralError(ValueError):
    pass


def step_label(from_state: str, to_state: str) -> str:
    return STEP_LABELS.get((from_state, to_state), to_state)


def collateral_create(
    *,
    by: Person,
    title: str,
    kind: str,
    summary: str = "",
    link: str = "",
    segment: Segment | None = None,
    at: datetime | None = None,
) -> Collateral:
    if not (is_marketing(by) or is_manager(by)):
        raise CollateralError("Marketing (or a manager) adds collateral to the library.")
    if not title.strip():
        raise CollateralError(TITLE_NEEDED)
    now = at or timezone.now()
    return Collateral.objects.create(
        title=title.strip(),
        kind=kind,
        summary=summary,
        link=link,
        segment=segment,
        owner=by,
        created_at=now,
        updated_at=now,
    )


def _may_step(by: Person, collateral: Collateral, step: tuple[str, str]) -> None:
    if step in SALES_STEPS:
        if not is_sales(by):
            raise CollateralError(SALES_ONLY)
    elif not (is_marketing(by) or is_manager(by) or by.pk == collateral.owner_id):
        raise CollateralError(MARKETING_ONLY)


def collateral_move(
    *,
    collateral: Collateral,
    to_state: str,
    by: Person,
    note: str = "",
    at: datetime | None = None,
    email: bool = True,
) -> Collateral:
    """The one way collateral changes state; a repeat of the last step changes nothing."""
    now = at or timezone.now()
    with rules_guarded(by):
        piece = Collateral.objects.select_for_update().get(pk=collateral.pk)
        step = (piece.state, to_state)
        if piece.state == to_state:
            return piece
        if to_state not in NEXT[piece.state]:
            raise CollateralError(NO_SKIPPING.format(now=piece.get_state_display(), to=to_state))
        _may_step(by, piece, step)
        if step == (S.IN_SALES_REVIEW, S.DRAFT) and not note.strip():
            raise CollateralError(REASON_NEEDED)
        _apply(piece, to_state, by, now)
        rules_fire(
            event="collateral.state_changed",
            obj=piece,
            changes={"state": step},
            actor=by,
            at=at,
            email=email,
        )
        piece.save()
        if note.strip():
            _comment(piece, by, note, now, step)
        _tell(piece, step, by, email)
    collateral.refresh_from_db()
    return piece


def _apply(piece: Collateral, to_state: str, by: Person, now: datetime) -> None:
    piece.state, piece.updated_at = to_state, now
    if to_state == S.APPROVED:
        piece.approved_by, piece.approved_at = by, now
    elif to_state == S.DRAFT:
        piece.approved_by, piece.approved_at = None, None
    elif to_state == S.PUBLISHED:
        piece.published_at = now


def _tell(piece: Collateral, step: tuple[str, str], by: Person, email: bool) -> None:
    """Review requests go to the sales managers; verdicts go back to the owner."""
    link = object_link(piece)
    if step == (S.DRAFT, S.IN_SALES_REVIEW):
        for manager in Person.objects.filter(role=Role.SALES_MANAGER, is_active=True):
            notification_send(
                recipient=manager,
                kind="review_request",
                title=f"Please review: {piece.title}"[:200],
                body=f"{by.name} sent it to sales review.",
                link=link,
                email=email,
            )
    elif step in SALES_STEPS and piece.owner is not None and piece.owner_id != by.pk:
        verdict = "approved" if step[1] == S.APPROVED else "sent back"
        notification_send(
            recipient=piece.owner,
            kind="review_verdict",
            title=f"{piece.title} was {verdict} by {by.name}"[:200],
            link=link,
            email=email,
        )


def _comment(
    piece: Collateral,
    by: Person,
    body: str,
    now: datetime,
    step: tuple[str, str] | None = None,
) -> CollateralComment:
    if not body.strip():
        raise CollateralError(COMMENT_EMPTY)
    if len(body) > 4000:
        raise CollateralError(COMMENT_TOO_LONG)
    from_state, to_state = step or ("", "")
    return CollateralComment.objects.create(
        collateral=piece,
        author=by,
        body=body.strip(),
        from_state=from_state,
        to_state=to_state,
        created_at=now,
    )


def collateral_comment(
    *, collateral: Collateral, by: Person, body: str, at: datetime | None = None
) -> CollateralComment:
    return _comment(collateral, by, body, at or timezone.now())


def collateral_rate(
    *, collateral: Collateral, by: Person, stars: int, at: datetime | None = None
) -> CollateralRating:
    """One rating per person; rating again replaces the earlier one."""
    if not is_sales(by):
        raise CollateralError(FIELD_ONLY)
    if collateral.state != S.PUBLISHED:
        raise CollateralError(ONLY_PUBLISHED)
    if not 1 <= stars <= 5:
        raise CollateralError(STARS_RANGE)
    rating, _ = CollateralRating.objects.update_or_create(
        collateral=collateral,
        rater=by,
        defaults={"stars": stars, "updated_at": at or timezone.now()},
    )
    return rating


def collateral_use(*, collateral: Collateral, by: Person, on: date | None = None) -> bool:
    """Count a use; the same person on the same day counts once. True when newly counted."""
    if not is_sales(by):
        raise CollateralError(FIELD_ONLY)
    if collateral.state != S.PUBLISHED:
        raise CollateralError(ONLY_PUBLISHED)
    _, created = CollateralUse.objects.get_or_create(
        collateral=collateral, person=by, used_on=on or timezone.localdate()
    )
    return created


def gap_request(
    *,
    by: Person,
    title: str,
    need: str,
    segment: Segment | None = None,
    at: datetime | None = None,
) -> ContentGap:
    if not title.strip():
        raise CollateralError(TITLE_NEEDED)
    if not need.strip():
        raise CollateralError("Say who needs it and what it must answer.")
    return ContentGap.objects.create(
        title=title.strip(),
        need=need.strip(),
        segment=segment,
        requested_by=by,
        created_at=at or timezone.now(),
    )


def gap_pick(*, gap: ContentGap, by: Person, email: bool = True) -> ContentGap:
    if not (is_marketing(by) or is_manager(by)):
        raise CollateralError("Marketing picks up content requests.")
    with transaction.atomic():
        updated = ContentGap.objects.filter(pk=gap.pk, status=GapStatus.OPEN).update(
            status=GapStatus.PICKED_UP, picked_by=by
        )
        if not updated:
            raise CollateralError(GAP_NOT_OPEN)
        gap.refresh_from_db()
        _tell_requester(gap, f"{by.name} picked up your request: {gap.title}", "", email)
    return gap


def _tell_requester(gap: ContentGap, title: str, body: str, email: bool) -> None:
    if gap.requested_by is not None:
        notification_send(
            recipient=gap.requested_by,
            kind="content_gap",
            title=title[:200],
            body=body,
            link=reverse("playbook:gaps"),
            email=email,
        )


def gap_close(
    *,
    gap: ContentGap,
    by: Person,
    resolution: str,
    collateral: Collateral | None = None,
    at: datetime | None = None,
    email: bool = True,
) -> ContentGap:
    if gap.status != GapStatus.PICKED_UP:
        raise CollateralError(GAP_NOT_PICKED)
    if not (by.pk == gap.picked_by_id or is_manager(by)):
        raise CollateralError("The marketer who picked it up, or a manager, closes it.")
    if not resolution.strip():
        raise CollateralError(RESOLUTION_NEEDED)
    with transaction.atomic():
        gap.status, gap.resolution, gap.collateral = (
            GapStatus.CLOSED,
            resolution.strip(),
            collateral,
        )
        gap.closed_at = at or timezone.now()
        gap.save()
        _tell_requester(gap, f"Your request is answered: {gap.title}", gap.resolution, email)
    return gap
