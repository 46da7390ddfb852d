"""Reads of field feedback with business meaning: who sees what, themes, the digest."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from django.db.models import Case, QuerySet, When

from accord.directory.access import (
    User,
    accounts_for_user,
    leads_for_user,
    opportunities_for_user,
    person_for_user,
)
from accord.directory.models import Person
from accord.directory.roles import Role
from accord.feedback.models import Feedback
from accord.feedback.services import FeedbackError, Target
from accord.feedback.themes import Theme, themes_find

__all__ = ["Theme", "feedback_for_user", "reads_digest", "themes_for_period"]


def reads_digest(person: Person | None) -> bool:
    """Everyone but a sales rep reads the whole field's feedback; a rep reads their own."""
    return person is not None and Role(person.role) != Role.SALES_REP


def feedback_for_user(user: User) -> QuerySet[Feedback]:
    person = person_for_user(user)
    if person is None:
        return Feedback.objects.none()
    if reads_digest(person):
        return Feedback.objects.all()
    return Feedback.objects.filter(author=person)


def period_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """The UTC instants from the start of ``start`` to the end of ``end`` (half-open)."""
    return (
        datetime.combine(start, time(), tzinfo=UTC),
        datetime.combine(end + timedelta(days=1), time(), tzinfo=UTC),
    )


def previous_period(start: date, end: date) -> tuple[date, date]:
    """The period of equal length that ends the day before ``start``."""
    days = (end - start).days + 1
    return start - timedelta(days=days), start - timedelta(days=1)


def texts_in(notes: QuerySet[Feedback], start: date, end: date) -> list[str]:
    low, high = period_bounds(start, end)
    rows = notes.filter(noted_at__gte=low, noted_at__lt=high).order_by("noted_at", "pk")
    return [_document(text, rival) for text, rival in rows.values_list("text", "competitor")]


def _document(text: str, competitor: str) -> str:
    """The competitor's name is part of what was heard, so themes may carry it."""
    return f"{text} {competitor}" if competitor and competitor.lower() not in text.lower() else text


def themes_for_period(start: date, end: date) -> list[Theme]:
    """The themes of all feedback heard from ``start`` to ``end`` (both days included).

    Trend compares with the period of equal length just before. Not scoped to a
    person: it feeds the joint meeting's agenda, which both teams read. Pages
    call :func:`accord.feedback.digest.digest_for_user`, which scopes first.
    """
    return themes_in(Feedback.objects.all(), start, end)


def themes_in(
    notes: QuerySet[Feedback],
    start: date,
    end: date,
    *,
    previous: tuple[date, date] | None = None,
) -> list[Theme]:
    """Themes of ``notes`` in a period, with trend against ``previous`` (default:
    the period of equal length just before)."""
    if end < start:
        raise ValueError(f"The period ends ({end}) before it starts ({start}).")
    before = previous or previous_period(start, end)
    return themes_find(texts_in(notes, start, end), texts_in(notes, *before))


# What a note may be about: only records the writer can see.

OPEN_DEAL_LIMIT = 60
LEAD_LIMIT = 40
ACCOUNT_LIMIT = 80
ACTIVE_LEAD_STAGES = ("mql", "sal", "sql")


def target_for_user(user: User, about: str) -> Target:
    """Parse ``kind:id`` and fetch the record through the access helpers.

    Raises :class:`FeedbackError` naming the ``about`` field when the value is
    malformed or the record is missing or not the writer's to see.
    """
    kind, _, raw_id = (about or "").partition(":")
    if not raw_id.isdigit() or kind not in {"account", "opportunity", "lead"}:
        raise FeedbackError("about", "Choose the account, deal or lead this is about.")
    pk = int(raw_id)
    if kind == "opportunity":
        deal = opportunities_for_user(user).select_related("account").filter(pk=pk).first()
        if deal is not None:
            return Target(account=deal.account, opportunity=deal)
    elif kind == "lead":
        lead = leads_for_user(user).select_related("account").filter(pk=pk).first()
        if lead is not None and lead.account is not None:
            return Target(account=lead.account, lead=lead)
    else:
        account = accounts_for_user(user).filter(pk=pk).first()
        if account is not None:
            return Target(account=account)
    raise FeedbackError("about", f"That {kind} does not exist or is not one you can see.")


def target_choices_for_user(user: User) -> list[tuple[str, list[tuple[str, str]]]]:
    """The writer's open deals, active leads and accounts, grouped for one select.

    A short list of what the writer most likely talks about, not every visible
    record: a link can still preselect any record they can see.
    """
    person = person_for_user(user)
    if person is None:
        return []
    deals = (
        opportunities_for_user(user)
        .filter(is_closed=False)
        .select_related("account")
        .order_by(Case(When(owner=person, then=0), default=1), "account__name", "name")
    )[:OPEN_DEAL_LIMIT]
    leads = (
        leads_for_user(user)
        .filter(stage__in=ACTIVE_LEAD_STAGES, account__isnull=False)
        .select_related("account", "contact")
        .order_by(Case(When(owner=person, then=0), default=1), "-assigned_at", "-pk")
    )[:LEAD_LIMIT]
    accounts = accounts_for_user(user).order_by(
        Case(When(owner=person, then=0), default=1), "name"
    )[:ACCOUNT_LIMIT]
    groups = [
        (
            "Open deals",
            [(f"opportunity:{d.pk}", target_label(Target(d.account, d))) for d in deals],
        ),
        ("Leads", [(f"lead:{x.pk}", target_label(Target(x.account, lead=x))) for x in leads]),
        ("Accounts", [(f"account:{a.pk}", a.name) for a in accounts]),
    ]
    return [(label, options) for label, options in groups if options]


def target_label(target: Target) -> str:
    if target.opportunity is not None:
        return f"{target.opportunity.name} ({target.account.name})"
    if target.lead is not None:
        return f"{target.lead.contact or f'Lead {target.lead.pk}'} ({target.account.name})"
    return target.account.name
