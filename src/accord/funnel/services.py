"""Every change to a lead's place in the funnel goes through here.

Each move checks the transition, stamps the stage time, appends the lead
event and bumps ``Lead.version`` in one conditional UPDATE: when two people
act on the same lead at once, exactly one UPDATE matches and the other
person is told someone was first.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Collection
from datetime import datetime
from typing import Any

from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from accord.crm.choices import LeadEventKind, LeadStage, RejectionReason
from accord.crm.models import Lead, LeadEvent
from accord.directory.models import Person
from accord.funnel import routing, scoring, sla
from accord.funnel.models import (
    RuleAttribute,
    ScoringRule,
    ScoringRuleSet,
    SlaClock,
    SlaMark,
    SlaMarkKind,
    SlaPolicy,
)
from accord.inbox.services import notification_send


class LeadMoveError(Exception):
    """A move that is not allowed, or that someone else made first."""


LEAD_CHANGED_MEANWHILE = (
    "Someone else changed this lead a moment ago; reload to see where it is now."
)
ACCEPT_NEEDS_MQL = "Only a marketing qualified lead can be accepted."
REJECT_NEEDS_MQL = (
    "Only a marketing qualified lead can be rejected; recycle or disqualify it instead."
)
REASON_REQUIRED = "Choose a reason code: {choices}."
NOTE_REQUIRED = "A rejection for another reason needs a note saying what it was."
RECYCLE_NOT_ALLOWED = "Only an MQL, SAL or SQL can go back to nurture."
DISQUALIFY_NOT_ALLOWED = "This lead has already left the funnel or become an opportunity."
CONTACT_NOT_ALLOWED = "First contact is recorded on an MQL, SAL or SQL."
CONTACT_ALREADY = "First contact is already recorded for this lead."
QUALIFY_NEEDS_SAL = "Only a sales accepted lead can become a sales qualified lead."
MQL_NEEDS_INQUIRY = "Only an inquiry becomes a marketing qualified lead."

RULE_REJECTED = "Rejected leads return to nurture"
RULE_MQL = "Score {score} reached the MQL threshold {threshold} (rules v{version})"
OPEN_STAGES = (LeadStage.MQL, LeadStage.SAL, LeadStage.SQL)


def _move(
    lead: Lead,
    *,
    allowed_from: Collection[str],
    refused: str,
    kind: str,
    to: str | None = None,
    by: Person | None = None,
    at: datetime | None = None,
    rule: str = "",
    reason: str = "",
    note: str = "",
    data: dict[str, Any] | None = None,
    **fields: Any,
) -> Lead:
    """The one conditional write every lead change goes through."""
    if lead.stage not in allowed_from:
        raise LeadMoveError(refused)
    at = at or timezone.now()
    target = to or lead.stage
    event = LeadEvent(
        lead=lead,
        occurred_at=at,
        kind=kind,
        actor=by,
        from_stage=lead.stage,
        to_stage=target if to else "",
        rule=rule,
        reason=reason,
        note=note,
        data=data or {},
    )

    def write() -> Lead:
        with transaction.atomic():
            updated = Lead.objects.filter(
                pk=lead.pk, stage=lead.stage, version=lead.version
            ).update(stage=target, version=F("version") + 1, updated_at=timezone.now(), **fields)
            if updated != 1:
                raise LeadMoveError(LEAD_CHANGED_MEANWHILE)
            event.save(force_insert=True)
        lead.refresh_from_db()
        return lead

    return _retrying_table_locks(write)


LOCK_RETRIES = 200


def _is_table_lock(exc: OperationalError) -> bool:
    return connection.vendor == "sqlite" and "locked" in str(exc)


def _retrying_table_locks(write: Callable[[], Lead]) -> Lead:
    """Run ``write`` again when SQLite reports a lock instead of waiting for it.

    A file database waits (busy_timeout), but SQLite's shared-cache mode -- the
    in-memory test database -- fails at once with "database table is locked".
    Retrying the whole transaction gives the same answer as waiting would:
    whoever comes second finds the version moved on. Inside an outer
    transaction a retry cannot help, so the error is raised there.
    """
    for attempt in range(LOCK_RETRIES):
        try:
            return write()
        except OperationalError as exc:
            if not _is_table_lock(exc) or connection.in_atomic_block:
                raise
            time.sleep(min(0.05, 0.001 * (attempt + 1)) * (1 + random.random()))
    return write()


def _require_reason(reason: str, note: str) -> None:
    if reason not in RejectionReason.values:
        raise LeadMoveError(REASON_REQUIRED.format(choices=", ".join(RejectionReason.values)))
    if reason == RejectionReason.OTHER and not note.strip():
        raise LeadMoveError(NOTE_REQUIRED)


def lead_accept(*, lead: Lead, by: Person, at: datetime | None = None) -> Lead:
    """Sales takes the MQL: it becomes a sales accepted lead, owned by whoever accepted."""
    at = at or timezone.now()
    return _move(
        lead,
        allowed_from=(LeadStage.MQL,),
        refused=ACCEPT_NEEDS_MQL,
        kind=LeadEventKind.ACCEPTED,
        to=LeadStage.SAL,
        by=by,
        at=at,
        sal_at=at,
        owner=lead.owner or by,
    )


def lead_reject(
    *, lead: Lead, by: Person, reason: str, note: str = "", at: datetime | None = None
) -> Lead:
    """Sales turns the MQL down with a reason code; it goes back to marketing's nurture."""
    _require_reason(reason, note)
    at = at or timezone.now()
    return _move(
        lead,
        allowed_from=(LeadStage.MQL,),
        refused=REJECT_NEEDS_MQL,
        kind=LeadEventKind.REJECTED,
        to=LeadStage.RECYCLED,
        by=by,
        at=at,
        rule=RULE_REJECTED,
        reason=reason,
        note=note.strip(),
        recycled_at=at,
        rejection_reason=reason,
    )


def lead_recycle(
    *, lead: Lead, by: Person, reason: str, note: str = "", at: datetime | None = None
) -> Lead:
    """An accepted or qualified lead is not ready yet: back to nurture, with the reason."""
    _require_reason(reason, note)
    at = at or timezone.now()
    return _move(
        lead,
        allowed_from=OPEN_STAGES,
        refused=RECYCLE_NOT_ALLOWED,
        kind=LeadEventKind.RECYCLED,
        to=LeadStage.RECYCLED,
        by=by,
        at=at,
        reason=reason,
        note=note.strip(),
        recycled_at=at,
        rejection_reason=reason,
    )


def lead_disqualify(
    *, lead: Lead, by: Person, reason: str, note: str = "", at: datetime | None = None
) -> Lead:
    """The lead will never buy: it leaves the funnel for good."""
    _require_reason(reason, note)
    at = at or timezone.now()
    return _move(
        lead,
        allowed_from=(LeadStage.INQUIRY, LeadStage.RECYCLED, *OPEN_STAGES),
        refused=DISQUALIFY_NOT_ALLOWED,
        kind=LeadEventKind.DISQUALIFIED,
        to=LeadStage.DISQUALIFIED,
        by=by,
        at=at,
        reason=reason,
        note=note.strip(),
        disqualified_at=at,
    )


def lead_record_contact(*, lead: Lead, by: Person, at: datetime | None = None) -> Lead:
    """The first real conversation: stops the first-contact clock."""
    if lead.first_contact_at is not None:
        raise LeadMoveError(CONTACT_ALREADY)
    at = at or timezone.now()
    return _move(
        lead,
        allowed_from=OPEN_STAGES,
        refused=CONTACT_NOT_ALLOWED,
        kind=LeadEventKind.CONTACTED,
        by=by,
        at=at,
        first_contact_at=at,
    )


def lead_qualify(*, lead: Lead, by: Person, at: datetime | None = None) -> Lead:
    at = at or timezone.now()
    return _move(
        lead,
        allowed_from=(LeadStage.SAL,),
        refused=QUALIFY_NEEDS_SAL,
        kind=LeadEventKind.STAGE_CHANGED,
        to=LeadStage.SQL,
        by=by,
        at=at,
        sql_at=at,
    )


def lead_score_record(*, lead: Lead, score: scoring.Score, at: datetime) -> Lead:
    """Store a new score with its explanation; an unchanged score writes nothing."""
    if score.total == lead.score:
        return lead
    return _move(
        lead,
        allowed_from=LeadStage.values,
        refused="",
        kind=LeadEventKind.SCORED,
        at=at,
        rule=f"Scoring rules v{score.rules_version}",
        data={"score": score.total, "previous": lead.score, "fired": score.explain()},
        score=score.total,
    )


def lead_mark_mql(*, lead: Lead, score: scoring.Score, at: datetime) -> Lead:
    rule = RULE_MQL.format(
        score=score.total, threshold=score.threshold, version=score.rules_version
    )
    return _move(
        lead,
        allowed_from=(LeadStage.INQUIRY,),
        refused=MQL_NEEDS_INQUIRY,
        kind=LeadEventKind.STAGE_CHANGED,
        to=LeadStage.MQL,
        at=at,
        rule=rule,
        mql_at=at,
    )


def lead_assign(*, lead: Lead, at: datetime) -> Lead:
    """Route the MQL to its owner and start both SLA clocks in the owner's calendar."""
    route = routing.route_lead(lead, at)
    segment = routing.lead_segment_for_routing(lead)
    accept_due, contact_due = sla.sla_deadlines(start=at, owner=route.owner, segment=segment)
    return _move(
        lead,
        allowed_from=(LeadStage.MQL,),
        refused=ACCEPT_NEEDS_MQL,
        kind=LeadEventKind.ASSIGNED,
        at=at,
        rule=route.rule,
        data={"owner": route.owner.pk if route.owner else None},
        owner=route.owner,
        assigned_at=at,
        accept_due_at=accept_due,
        contact_due_at=contact_due,
    )


def lead_enter_funnel(*, lead_id: int) -> None:
    """Score a new or changed lead; at the threshold it becomes an MQL, routed, clocks on.

    Safe to run twice (a retried task): an unchanged score and a lead that is
    already past the inquiry stage write nothing.
    """
    now = timezone.now()
    lead = Lead.objects.select_related(
        "contact", "account__segment", "account__owner", "account__territory", "segment"
    ).get(pk=lead_id)
    score = scoring.lead_score(lead, now)
    try:
        lead = lead_score_record(lead=lead, score=score, at=now)
        if lead.stage != LeadStage.INQUIRY or not score.is_mql:
            return
        lead = lead_mark_mql(lead=lead, score=score, at=now)
        lead_assign(lead=lead, at=now)
    except LeadMoveError:
        return  # another worker moved it first; its run did the work


def funnel_defaults_ensure() -> ScoringRuleSet:
    """Store the shipped scoring rules as version 1 and the 4 h / 24 h SLA (idempotent)."""
    with transaction.atomic():
        if not SlaPolicy.objects.filter(segment__isnull=True).exists():
            SlaPolicy.objects.create(
                segment=None,
                accept_hours=sla.DEFAULT_ACCEPT_HOURS,
                contact_hours=sla.DEFAULT_CONTACT_HOURS,
            )
        existing = ScoringRuleSet.objects.order_by("-version").first()
        if existing is not None:
            return existing
        return _rule_set_store(scoring.DEFAULT_RULES, version=1, by=None, note="Shipped defaults")


def _rule_set_store(
    rules: scoring.Rules, *, version: int, by: Person | None, note: str
) -> ScoringRuleSet:
    rule_set = ScoringRuleSet.objects.create(
        version=version,
        mql_threshold=rules.mql_threshold,
        half_life_days=rules.half_life_days,
        note=note,
        published_at=timezone.now(),
        published_by=by,
    )
    ScoringRule.objects.bulk_create(
        ScoringRule(
            rule_set=rule_set,
            attribute=RuleAttribute(r.attribute),
            value=r.value,
            minimum=r.minimum,
            maximum=r.maximum,
            points=r.points,
        )
        for r in rules.rules
    )
    return rule_set


def rule_set_publish(
    *,
    rules: tuple[scoring.Rule, ...],
    mql_threshold: int,
    half_life_days: float,
    by: Person | None,
    note: str = "",
) -> ScoringRuleSet:
    """Publish a new version of the scoring rules and rescore every lead still in play."""
    with transaction.atomic():
        latest = ScoringRuleSet.objects.select_for_update().order_by("-version").first()
        version = (latest.version if latest else 0) + 1
        draft = scoring.Rules(version, mql_threshold, half_life_days, rules)
        rule_set = _rule_set_store(draft, version=version, by=by, note=note)
    leads_rescore()
    return rule_set


RESCORED_STAGES = (LeadStage.INQUIRY, LeadStage.RECYCLED, LeadStage.MQL)


def leads_rescore() -> int:
    """Rescore leads not yet worked by sales; inquiries crossing the threshold enter the funnel."""
    ids = list(Lead.objects.filter(stage__in=RESCORED_STAGES).values_list("pk", flat=True))
    for lead_id in ids:
        lead_enter_funnel(lead_id=lead_id)
    return len(ids)


# --- The SLA sweeper ---------------------------------------------------------

CLOCK_DUE_FIELD = {SlaClock.ACCEPT: "accept_due_at", SlaClock.FIRST_CONTACT: "contact_due_at"}
CLOCK_RUNNING = {
    SlaClock.ACCEPT: Q(stage=LeadStage.MQL),
    SlaClock.FIRST_CONTACT: Q(stage__in=OPEN_STAGES, first_contact_at__isnull=True),
}
MARK_EVENT = {
    SlaMarkKind.WARNING: LeadEventKind.SLA_WARNING,
    SlaMarkKind.BREACH: LeadEventKind.SLA_BREACH,
}


def _unmarked(clock: str, kind: str) -> QuerySet[Lead]:
    marked = SlaMark.objects.filter(lead=OuterRef("pk"), clock=clock, kind=kind)
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
            _notify(lead, clock=clock, kind=kind, due_at=due_at)
    except IntegrityError:
        return False  # another sweeper wrote it first
    return True


def _notify(lead: Lead, *, clock: str, kind: str, due_at: datetime) -> None:
    owner = lead.owner
    what = SlaClock(clock).label.lower()
    link = f"/funnel/leads/{lead.pk}/"
    if kind == SlaMarkKind.WARNING and owner is not None:
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
    written = {"warnings": 0, "breaches": 0}
    for clock, field in CLOCK_DUE_FIELD.items():
        for lead in _unmarked(clock, SlaMarkKind.BREACH).filter(**{f"{field}__lte": now}):
            due = getattr(lead, field)
            written["breaches"] += _mark(
                lead, clock=clock, kind=SlaMarkKind.BREACH, due_at=due, now=now
            )
        written["warnings"] += _sweep_warnings(clock, field, now)
    return written


def _sweep_warnings(clock: str, field: str, now: datetime) -> int:
    written = 0
    soon = _unmarked(clock, SlaMarkKind.WARNING).filter(**{f"{field}__gt": now})
    for lead in soon.select_related("owner", "segment", "account__segment"):
        due = getattr(lead, field)
        terms = sla.sla_terms(routing.lead_segment_for_routing(lead))
        if due - terms.warn_before <= now:
            written += _mark(lead, clock=clock, kind=SlaMarkKind.WARNING, due_at=due, now=now)
    return written
