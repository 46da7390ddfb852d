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
from datetime import datetime, timedelta
from typing import Any

from django.db import OperationalError, connection, transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone

from accord.crm.choices import LeadEventKind, LeadStage, RejectionReason
from accord.crm.models import Lead, LeadEvent, Touch
from accord.directory.models import Person
from accord.directory.roles import MANAGER_ROLES, Role
from accord.funnel import outbound, routing, scoring, sla
from accord.funnel.models import (
    RuleAttribute,
    ScoringRule,
    ScoringRuleSet,
    Side,
    SlaPolicy,
    StageDefinition,
)


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
MQL_AGAIN_NEEDS_RECYCLED = "Only a recycled lead becomes a marketing qualified lead again."

RULE_REJECTED = "Rejected leads return to nurture"
RULE_REASSIGNED = "Reassigned after {owner} let the accept clock run out"
RULE_MQL = "Score {score} reached the MQL threshold {threshold} (rules v{version})"
RULE_MQL_AGAIN = (
    "Recycled lead earned {earned} new engagement points (needs {needed}) and scored {score}, "
    "at or above the MQL threshold {threshold} (rules v{version})"
)
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
    owner = fields.get("owner", lead.owner)
    owner_changed = "owner" in fields and getattr(owner, "pk", None) != lead.owner_id
    if owner_changed:
        data = {**(data or {}), "owner": getattr(owner, "pk", None)}
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

    stamped = timezone.now()

    def write() -> None:
        event.pk = None  # a retried attempt inserts afresh
        with transaction.atomic():
            updated = Lead.objects.filter(
                pk=lead.pk, stage=lead.stage, version=lead.version
            ).update(stage=target, version=F("version") + 1, updated_at=stamped, **fields)
            if updated != 1:
                raise LeadMoveError(LEAD_CHANGED_MEANWHILE)
            event.save(force_insert=True)
            outbound.crm_update_record(
                event=event, lead=lead, owner=owner, owner_changed=owner_changed
            )

    _retrying_table_locks(write)
    # The UPDATE matched the exact version we hold, so the row is now our copy
    # plus these fields: no need to read it back.
    for name, value in {**fields, "stage": target, "updated_at": stamped}.items():
        setattr(lead, name, value)
    lead.version += 1
    return lead


LOCK_RETRIES = 200


def _is_table_lock(exc: OperationalError) -> bool:
    return connection.vendor == "sqlite" and "locked" in str(exc)


def _retrying_table_locks(work: Callable[[], None]) -> None:
    """Run ``work`` again when SQLite reports a lock instead of waiting for it.

    A file database waits (busy_timeout), but SQLite's shared-cache mode -- the
    in-memory test database -- fails at once with "database table is locked".
    Retrying the whole transaction gives the same answer as waiting would:
    whoever comes second finds the version moved on. Inside an outer
    transaction a retry cannot help, so the error is raised there.
    """
    for attempt in range(LOCK_RETRIES):
        try:
            return work()
        except OperationalError as exc:
            if not _is_table_lock(exc) or connection.in_atomic_block:
                raise
            time.sleep(min(0.05, 0.001 * (attempt + 1)) * (1 + random.random()))
    work()


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


def lead_mark_mql_again(
    *, lead: Lead, score: scoring.Score, earned: float, needed: int, at: datetime
) -> Lead:
    """A recycled lead that earned enough new engagement is an MQL again: a fresh cycle.

    The stage stamps of the earlier cycle (accepted, qualified, first contact,
    rejection reason) are cleared so the new SLA clocks run; the event log
    keeps the earlier cycle.
    """
    rule = RULE_MQL_AGAIN.format(
        earned=round(earned, 1),
        needed=needed,
        score=score.total,
        threshold=score.threshold,
        version=score.rules_version,
    )
    return _move(
        lead,
        allowed_from=(LeadStage.RECYCLED,),
        refused=MQL_AGAIN_NEEDS_RECYCLED,
        kind=LeadEventKind.STAGE_CHANGED,
        to=LeadStage.MQL,
        at=at,
        rule=rule,
        mql_at=at,
        sal_at=None,
        sql_at=None,
        first_contact_at=None,
        rejection_reason="",
    )


def lead_assign(*, lead: Lead, at: datetime, exclude: Person | None = None) -> Lead:
    """Route the MQL to its owner and start both SLA clocks in the owner's calendar.

    With ``exclude`` it is a reassignment: that person is passed over and the
    clocks start again for the new owner.
    """
    route = routing.route_lead(lead, at, exclude=exclude.pk if exclude else None)
    segment = routing.lead_segment_for_routing(lead)
    accept_due, contact_due = sla.sla_deadlines(start=at, owner=route.owner, segment=segment)
    rule = f"{RULE_REASSIGNED.format(owner=exclude)}: {route.rule}" if exclude else route.rule
    return _move(
        lead,
        allowed_from=(LeadStage.MQL,),
        refused=ACCEPT_NEEDS_MQL,
        kind=LeadEventKind.ASSIGNED,
        at=at,
        rule=rule,
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
    _enter_funnel(lead_id, scoring.rules_in_force(), timezone.now())


def _enter_funnel(lead_id: int, rules: scoring.Rules, now: datetime) -> None:
    lead = Lead.objects.select_related(
        "contact", "account__segment", "account__owner", "account__territory", "segment"
    ).get(pk=lead_id)
    touches = scoring.lead_touches(lead, now)
    score = scoring.score_compute(rules, scoring.lead_facts(lead), touches, now)
    try:
        lead = lead_score_record(lead=lead, score=score, at=now)
        if not score.is_mql:
            return
        if lead.stage == LeadStage.INQUIRY:
            lead = lead_mark_mql(lead=lead, score=score, at=now)
        elif lead.stage == LeadStage.RECYCLED:
            since = lead.recycled_at or lead.mql_at or lead.created_at
            earned = scoring.engagement_since(rules, touches, since, now)
            if earned < rules.recycle_points:
                return
            lead = lead_mark_mql_again(
                lead=lead, score=score, earned=earned, needed=rules.recycle_points, at=now
            )
        else:
            return
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
        return rule_set_store(scoring.DEFAULT_RULES, version=1, by=None, note="Shipped defaults")


def rule_set_store(
    rules: scoring.Rules, *, version: int, by: Person | None, note: str, in_force: bool = True
) -> ScoringRuleSet:
    now = timezone.now()
    rule_set = ScoringRuleSet.objects.create(
        in_force_from=now if in_force else None,
        version=version,
        mql_threshold=rules.mql_threshold,
        half_life_days=rules.half_life_days,
        recycle_points=rules.recycle_points,
        note=note,
        published_at=now,
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
    recycle_points: int = scoring.DEFAULT_RULES.recycle_points,
) -> ScoringRuleSet:
    """Put a new version of the scoring rules in force at once and rescore leads in play.

    For the shipped defaults, data migrations and tests; people propose a
    version and both sides sign it (``accord.funnel.rule_sets``).
    """
    with transaction.atomic():
        latest = ScoringRuleSet.objects.select_for_update().order_by("-version").first()
        version = (latest.version if latest else 0) + 1
        draft = scoring.Rules(version, mql_threshold, half_life_days, rules, recycle_points)
        rule_set = rule_set_store(draft, version=version, by=by, note=note)
    leads_rescore()
    return rule_set


RESCORED_STAGES = (LeadStage.INQUIRY, LeadStage.RECYCLED, LeadStage.MQL)


def leads_rescore() -> int:
    """Rescore leads not yet worked by sales; inquiries crossing the threshold enter the funnel."""
    ids = list(Lead.objects.filter(stage__in=RESCORED_STAGES).values_list("pk", flat=True))
    rules, now = scoring.rules_in_force(), timezone.now()
    for lead_id in ids:
        _enter_funnel(lead_id, rules, now)
    return len(ids)


REVIEW_WINDOW = timedelta(days=1)


def recycled_leads_review() -> int:
    """Give recycled leads another look at the MQL rule when new touches were recorded.

    The periodic funnel task runs this, so engagement that arrives through
    imports or the touch API (not only a rule change) brings a lead back.
    Only touches recorded in the last day count as news, so a lead whose
    new engagement is not yet enough is not rescored on every run for ever.
    """
    rules, now = scoring.rules_in_force(), timezone.now()
    fresh = Touch.objects.filter(
        contact_id=OuterRef("contact_id"),
        occurred_at__gt=OuterRef("recycled_at"),
        created_at__gte=now - REVIEW_WINDOW,
    )
    recycled = Lead.objects.filter(stage=LeadStage.RECYCLED, recycled_at__isnull=False)
    ids = list(recycled.filter(Exists(fresh)).values_list("pk", flat=True))
    for lead_id in ids:
        _enter_funnel(lead_id, rules, now)
    return len(ids)


# --- Stage definitions both sides sign ------------------------------------------

SIGN_NEEDS_MANAGER = "Only a sales manager or a marketing manager signs stage definitions."
ALREADY_SIGNED = "Your side has already signed this version."
PROPOSE_NOT_ALLOWED = "Only managers and revenue leaders propose stage definitions."
SUPERSEDED = "A newer version of this stage has been proposed; sign that one instead."
SIGNING_SIDE = {Role.SALES_MANAGER: Side.SALES, Role.MARKETING_MANAGER: Side.MARKETING}


def stage_definition_propose(
    *,
    stage: str,
    definition: str,
    owner_side: str,
    by: Person,
    entry_criteria: str = "",
    buyer_doing: str = "",
    we_do: str = "",
) -> StageDefinition:
    """A new version of a stage's meaning; it holds once both managers have signed."""
    if Role(by.role) not in MANAGER_ROLES:
        raise LeadMoveError(PROPOSE_NOT_ALLOWED)
    with transaction.atomic():
        latest = (
            StageDefinition.objects.select_for_update().filter(stage=stage).order_by("-version")
        ).first()
        return StageDefinition.objects.create(
            stage=LeadStage(stage),
            version=(latest.version if latest else 0) + 1,
            definition=definition.strip(),
            entry_criteria=entry_criteria.strip(),
            owner_side=Side(owner_side),
            buyer_doing=buyer_doing.strip(),
            we_do=we_do.strip(),
            proposed_by=by,
            proposed_at=timezone.now(),
        )


def stage_definition_sign(*, definition: StageDefinition, by: Person) -> StageDefinition:
    """Sign for your side; the second signature puts the version in force."""
    side = SIGNING_SIDE.get(Role(by.role))
    if side is None:
        raise LeadMoveError(SIGN_NEEDS_MANAGER)
    now = timezone.now()
    with transaction.atomic():
        row = StageDefinition.objects.select_for_update().get(pk=definition.pk)
        newer = StageDefinition.objects.filter(stage=row.stage, version__gt=row.version)
        if newer.exists():
            raise LeadMoveError(SUPERSEDED)
        if getattr(row, f"{side}_signed_at") is not None:
            raise LeadMoveError(ALREADY_SIGNED)
        setattr(row, f"{side}_signed_by", by)
        setattr(row, f"{side}_signed_at", now)
        if row.sales_signed_at and row.marketing_signed_at:
            row.in_force_from = now
        row.save()
    return row
