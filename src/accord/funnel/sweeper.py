"""The SLA sweeper: compares stored deadlines with the clock, writes each mark once.

Every warning and breach is a row in ``SlaMark`` under a unique constraint,
written in one transaction with its lead event and its notifications. A rerun,
two sweepers at once, or a crash halfway all end with each mark written once.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet

from accord.crm.choices import LeadEventKind, LeadStage
from accord.crm.models import Lead, LeadEvent
from accord.funnel import routing, services, sla
from accord.funnel.models import SlaClock, SlaMark, SlaMarkKind
from accord.inbox.services import notification_send

OPEN_STAGES = (LeadStage.MQL, LeadStage.SAL, LeadStage.SQL)

CLOCK_DUE_FIELD = {SlaClock.ACCEPT: "accept_due_at", SlaClock.FIRST_CONTACT: "contact_due_at"}
CLOCK_RUNNING = {
    SlaClock.ACCEPT: Q(stage=LeadStage.MQL),
    SlaClock.FIRST_CONTACT: Q(stage__in=OPEN_STAGES, first_contact_at__isnull=True),
}
# A breach found long after its deadline (the sweeper was off, or history was
# imported) is recorded but not announced: nobody can act on it any more.
QUIET_AFTER = timedelta(days=7)
MARK_EVENT = {
    SlaMarkKind.WARNING: LeadEventKind.SLA_WARNING,
    SlaMarkKind.BREACH: LeadEventKind.SLA_BREACH,
}


def _unmarked(clock: str, kind: str) -> QuerySet[Lead]:
    due_field = CLOCK_DUE_FIELD[clock]
    marked = SlaMark.objects.filter(
        lead=OuterRef("pk"), clock=clock, kind=kind, due_at=OuterRef(due_field)
    )
    return Lead.objects.filter(CLOCK_RUNNING[clock]).exclude(Exists(marked))


def _mark(lead: Lead, *, clock: str, kind: str, due_at: datetime, now: datetime) -> bool:
    """Write the mark, its lead event and its notification together, or nothing."""
    try:
        with transaction.atomic():
            SlaMark.objects.create(lead=lead, clock=clock, kind=kind, due_at=due_at, marked_at=now)
            LeadEvent.objects.create(
                lead=lead,
                occurred_at=due_at if kind == SlaMarkKind.BREACH else now,
                kind=MARK_EVENT[kind],
                from_stage=lead.stage,
                rule=f"{SlaClock(clock).label} due {due_at:%Y-%m-%d %H:%M} UTC",
                data={"clock": clock},
            )
            if now - due_at <= QUIET_AFTER:
                _notify(lead, clock=clock, kind=kind, due_at=due_at)
    except IntegrityError:
        return False  # another sweeper wrote it first
    return True


def _notify(lead: Lead, *, clock: str, kind: str, due_at: datetime) -> None:
    owner = lead.owner
    what = SlaClock(clock).label.lower()
    link = f"/funnel/leads/{lead.pk}/"
    if kind == SlaMarkKind.WARNING:
        if owner is None:
            return
        notification_send(
            recipient=owner,
            kind="sla_warning",
            title=f"Lead {lead.pk}: {what} due {due_at:%d %b %H:%M} UTC",
            link=link,
            dedupe_key=f"sla-warning-{lead.pk}-{clock}",
        )
        return
    manager = owner.team.manager if owner is not None and owner.team is not None else None
    for person in {p for p in (owner, manager) if p is not None}:
        notification_send(
            recipient=person,
            kind="sla_breach",
            title=f"SLA breached on lead {lead.pk}: {what} was due {due_at:%d %b %H:%M} UTC",
            body=f"Owner: {owner or 'nobody'}.",
            link=link,
            dedupe_key=f"sla-breach-{lead.pk}-{clock}-{person.pk}",
        )


def sla_sweep(now: datetime) -> dict[str, int]:
    """Write each due warning and breach once; safe to rerun, crash and restart."""
    written = {"warnings": 0, "breaches": 0, "reassigned": 0}
    for clock, field in CLOCK_DUE_FIELD.items():
        due_now = _unmarked(clock, SlaMarkKind.BREACH).filter(**{f"{field}__lte": now})
        for lead in due_now.select_related("owner__team__manager"):
            due = getattr(lead, field)
            marked = _mark(lead, clock=clock, kind=SlaMarkKind.BREACH, due_at=due, now=now)
            written["breaches"] += marked
            if marked and clock == SlaClock.ACCEPT:
                written["reassigned"] += _reassign_if_agreed(lead, now)
        written["warnings"] += _sweep_warnings(clock, field, now)
    return written


def _sweep_warnings(clock: str, field: str, now: datetime) -> int:
    written = 0
    horizon = now + sla.longest_warning()
    soon = _unmarked(clock, SlaMarkKind.WARNING).filter(
        **{f"{field}__gt": now, f"{field}__lte": horizon}
    )
    for lead in soon.select_related("owner", "segment", "account__segment"):
        due = getattr(lead, field)
        terms = sla.sla_terms(routing.lead_segment_for_routing(lead))
        if due - terms.warn_before <= now:
            written += _mark(lead, clock=clock, kind=SlaMarkKind.WARNING, due_at=due, now=now)
    return written


def _reassign_if_agreed(lead: Lead, now: datetime) -> bool:
    """Where the segment's terms say so, a missed accept clock moves the lead on."""
    terms = sla.sla_terms(routing.lead_segment_for_routing(lead))
    if not terms.reassign_on_breach or lead.owner is None:
        return False
    if routing.route_lead(lead, now, exclude=lead.owner.pk).owner is None:
        return False  # nobody else can take it: the owner keeps it
    try:
        services.lead_assign(lead=lead, at=now, exclude=lead.owner)
    except services.LeadMoveError:
        return False  # accepted or rejected in the meantime: nothing to move
    return True
