"""Writes for joint meetings: series, meetings, agenda points, action items.

Every write is one transaction. Creating a meeting drafts its agenda at once,
which is how the open action items of the last meeting carry over.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from accord.cadence.agenda import DRAFTERS, Drafter, agenda_draft
from accord.cadence.models import (
    AgendaItem,
    AgendaKind,
    Cadence,
    Meeting,
    MeetingActionItem,
    MeetingSeries,
)
from accord.cadence.schedule import next_meeting_on
from accord.directory.models import Person
from accord.inbox import services as inbox
from accord.inbox.models import ActionItem, ActionItemStatus

NEEDS_BOTH_SIDES = "Invite at least one person from sales and one from marketing."
MEETING_EXISTS = "This series already has a meeting on that day."
SERIES_EXISTS = "A meeting series with this name already exists."
NOT_A_PARTICIPANT = "The owner of an action item must be one of the meeting's participants."
NOT_ON_THIS_AGENDA = "That agenda point belongs to another meeting."


class MeetingError(ValueError):
    """A meeting write refused, with the reason in words (and the field when there is one)."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def sides_missing(people: Iterable[Person]) -> bool:
    sides = {p.side for p in people}
    return not {"sales", "marketing"} <= sides


def series_create(
    *,
    name: str,
    cadence: str = Cadence.MONTHLY,
    involvement_threshold: Decimal | None = None,
    stalled_after_days: int = 30,
    conversion_drop_points: int = 10,
    conversion_min_leads: int = 20,
    created_by: Person | None = None,
) -> MeetingSeries:
    fields = {
        "cadence": cadence,
        "stalled_after_days": stalled_after_days,
        "conversion_drop_points": conversion_drop_points,
        "conversion_min_leads": conversion_min_leads,
    }
    if involvement_threshold is not None:
        fields["involvement_threshold"] = involvement_threshold
    try:
        with transaction.atomic():
            return MeetingSeries.objects.create(
                name=name.strip(), created_by=created_by, created_at=timezone.now(), **fields
            )
    except IntegrityError as exc:
        raise MeetingError(SERIES_EXISTS, "name") from exc


def meeting_create(
    *,
    series: MeetingSeries,
    held_on: date,
    participants: Iterable[Person],
    created_by: Person | None = None,
) -> Meeting:
    """Plan a meeting with people from both sides and draft its agenda from the data."""
    people = list(participants)
    if sides_missing(people):
        raise MeetingError(NEEDS_BOTH_SIDES, "participants")
    try:
        with transaction.atomic():
            meeting = Meeting.objects.create(
                series=series, held_on=held_on, created_by=created_by, created_at=timezone.now()
            )
            meeting.participants.set(people)
            agenda_generate(meeting=meeting)
    except IntegrityError as exc:
        raise MeetingError(MEETING_EXISTS, "held_on") from exc
    return meeting


def meeting_update(
    *, meeting: Meeting, held_on: date, participants: Iterable[Person], summary: str
) -> Meeting:
    people = list(participants)
    if sides_missing(people):
        raise MeetingError(NEEDS_BOTH_SIDES, "participants")
    try:
        with transaction.atomic():
            Meeting.objects.filter(pk=meeting.pk).update(held_on=held_on, summary=summary.strip())
            meeting.participants.set(people)
    except IntegrityError as exc:
        raise MeetingError(MEETING_EXISTS, "held_on") from exc
    meeting.refresh_from_db()
    return meeting


def _next_position(meeting: Meeting) -> int:
    return (meeting.agenda.aggregate(top=Max("position"))["top"] or 0) + 1


@transaction.atomic
def agenda_generate(*, meeting: Meeting, drafters: tuple[Drafter, ...] = DRAFTERS) -> int:
    """Add the drafted points not on the agenda yet; return how many were added.

    Points people removed come back only if the data still raises them, and
    points they edited keep their words: a point is matched by what it is
    about, not by its text. Running it twice adds nothing the second time.
    """
    Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
    present = set(meeting.agenda.values_list("source_key", flat=True))
    drafted = [d for d in agenda_draft(meeting, drafters) if d.source_key not in present]
    start, now = _next_position(meeting), timezone.now()
    AgendaItem.objects.bulk_create(
        AgendaItem(
            meeting=meeting,
            position=start + i,
            kind=d.kind,
            title=d.title,
            detail=d.detail,
            source_key=d.source_key,
            created_at=now,
        )
        for i, d in enumerate(drafted)
    )
    Meeting.objects.filter(pk=meeting.pk).update(agenda_drafted_at=now)
    return len(drafted)


def agenda_item_add(*, meeting: Meeting, title: str, detail: str = "") -> AgendaItem:
    """Add a point at the end; the same title sent twice (a retried form) adds it once."""
    with transaction.atomic():
        Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
        same = meeting.agenda.filter(title=title.strip(), kind=AgendaKind.OTHER).first()
        if same is not None:
            return same
        return AgendaItem.objects.create(
            meeting=meeting,
            position=_next_position(meeting),
            kind=AgendaKind.OTHER,
            title=title.strip(),
            detail=detail.strip(),
            created_at=timezone.now(),
        )


def agenda_item_update(*, item: AgendaItem, title: str, detail: str, notes: str) -> AgendaItem:
    item.title, item.detail, item.notes = title.strip(), detail.strip(), notes.strip()
    item.save(update_fields=["title", "detail", "notes"])
    return item


@transaction.atomic
def agenda_item_move(*, item: AgendaItem, up: bool) -> None:
    """Swap the point with its neighbour above (or below); at either end nothing moves."""
    siblings = AgendaItem.objects.select_for_update().filter(meeting_id=item.meeting_id)
    ordered = list(siblings.order_by("position", "id"))
    index = next(i for i, other in enumerate(ordered) if other.pk == item.pk)
    target = index - 1 if up else index + 1
    if not 0 <= target < len(ordered):
        return
    ordered[index], ordered[target] = ordered[target], ordered[index]
    for position, point in enumerate(ordered, start=1):
        point.position = position
    AgendaItem.objects.bulk_update(ordered, ["position"])


def agenda_item_remove(*, item: AgendaItem) -> None:
    """Take a point off the agenda; action items agreed under it stay, unlinked from it."""
    item.delete()


def meeting_action_item_create(
    *,
    meeting: Meeting,
    title: str,
    owner: Person,
    due_on: date | None = None,
    agenda_item: AgendaItem | None = None,
    description: str = "",
    created_by: Person | None = None,
) -> ActionItem:
    """Agree an action item in a meeting; it is due by the next meeting unless said otherwise.

    The same open item for the same owner (a retried form) is returned, not made twice.
    """
    if not meeting.participants.filter(pk=owner.pk).exists():
        raise MeetingError(NOT_A_PARTICIPANT, "owner")
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        raise MeetingError(NOT_ON_THIS_AGENDA, "agenda_item")
    with transaction.atomic():
        Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
        same = ActionItem.objects.filter(
            meeting_link__meeting=meeting,
            owner=owner,
            title=title.strip(),
            status=ActionItemStatus.OPEN,
        ).first()
        if same is not None:
            return same
        item = inbox.action_item_create(
            title=title.strip(),
            owner=owner,
            due_on=due_on or next_meeting_on(meeting),
            description=description.strip(),
            created_by=created_by,
            origin=meeting,
            origin_label=f"Joint meeting: {meeting}",
        )
        MeetingActionItem.objects.create(action_item=item, meeting=meeting, agenda_item=agenda_item)
    return item


def meeting_action_item_close(*, item: ActionItem, status: str = ActionItemStatus.DONE) -> None:
    """Mark an item done or cancelled; the foundation refuses to close it twice."""
    try:
        inbox.action_item_close(item=item, status=status)
    except ValueError as exc:
        raise MeetingError(str(exc), "status") from exc
