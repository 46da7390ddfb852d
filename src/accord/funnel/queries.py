"""Reads with business meaning for the funnel pages: queues, histories, scorecards."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import (
    Case,
    CharField,
    Count,
    DateTimeField,
    F,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncMonth

from accord.crm.choices import WATERFALL, LeadEventKind, LeadStage, RejectionReason
from accord.crm.models import Lead, LeadEvent
from accord.directory.models import Person
from accord.funnel.models import CrmUpdate, MqlCommitment, StageDefinition

QUEUE_STAGES = (LeadStage.MQL, LeadStage.SAL, LeadStage.SQL)
NO_SEGMENT = "No segment"
NO_OWNER = "No campaign owner"


def _by_clock(leads: QuerySet[Lead]) -> QuerySet[Lead]:
    """Open leads, the one whose clock runs out first on top."""
    next_due = Case(
        When(stage=LeadStage.MQL, then=F("accept_due_at")),
        When(first_contact_at__isnull=True, then=F("contact_due_at")),
        default=None,
        output_field=DateTimeField(),
    )
    return (
        leads.filter(stage__in=QUEUE_STAGES)
        .select_related("contact", "account", "campaign", "owner")
        .annotate(next_due=next_due)
        .order_by(F("next_due").asc(nulls_last=True), "mql_at", "pk")
    )


def rep_queue(leads: QuerySet[Lead], person: Person) -> QuerySet[Lead]:
    return _by_clock(leads.filter(owner=person))


def team_queue(leads: QuerySet[Lead], manager: Person) -> QuerySet[Lead]:
    """The open leads of the people on the teams this person manages."""
    members = Person.objects.filter(team__manager=manager).exclude(pk=manager.pk)
    return _by_clock(leads.filter(owner__in=members))


def lead_history(lead: Lead) -> QuerySet[LeadEvent]:
    return lead.events.select_related("actor").order_by("occurred_at", "pk")


def _segment_name() -> Coalesce:
    return Coalesce(
        "segment__name", "account__segment__name", Value(NO_SEGMENT), output_field=CharField()
    )


@dataclass
class MqlOutcome:
    owner: str
    mqls: int = 0
    accepted: int = 0
    rejected: int = 0
    converted: int = 0
    untouched: int = 0
    reasons: dict[str, int] = field(default_factory=dict)


def mql_outcomes(leads: QuerySet[Lead]) -> list[MqlOutcome]:
    """What became of the MQLs each campaign owner produced."""
    mqls = leads.filter(mql_at__isnull=False).annotate(
        owner_name=Coalesce("campaign__owner__name", Value(NO_OWNER), output_field=CharField())
    )
    rows = mqls.values("owner_name").annotate(
        mqls=Count("pk"),
        accepted=Count("pk", filter=Q(sal_at__isnull=False)),
        rejected=Count("pk", filter=Q(sal_at__isnull=True) & ~Q(rejection_reason="")),
        converted=Count(
            "pk", filter=Q(opportunity_at__isnull=False) | Q(converted_opportunity__isnull=False)
        ),
        untouched=Count("pk", filter=Q(stage=LeadStage.MQL)),
    )
    outcomes = {r["owner_name"]: MqlOutcome(r.pop("owner_name"), **r) for r in rows}
    reasons = (
        mqls.filter(sal_at__isnull=True)
        .exclude(rejection_reason="")
        .values("owner_name", "rejection_reason")
        .annotate(n=Count("pk"))
    )
    for r in reasons:
        label = RejectionReason(r["rejection_reason"]).label
        outcomes[r["owner_name"]].reasons[label] = r["n"]
    return sorted(outcomes.values(), key=lambda o: (-o.mqls, o.owner))


def _percent(part: int, whole: int) -> float | None:
    return 100 * part / whole if whole else None


@dataclass
class ScorecardRow:
    month: date
    segment: str
    mqls: int
    committed: int | None
    accepted: int
    answered_in_sla: int
    contacted_in_sla: int
    breaches: int

    @property
    def share_answered_in_sla(self) -> float | None:
        return _percent(self.answered_in_sla, self.mqls)

    @property
    def share_contacted_in_sla(self) -> float | None:
        return _percent(self.contacted_in_sla, self.accepted)

    @property
    def share_accepted(self) -> float | None:
        return _percent(self.accepted, self.mqls)

    @property
    def delivery(self) -> float | None:
        return _percent(self.mqls, self.committed or 0)


def _as_date(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def _commitments() -> dict[tuple[date, str], int]:
    rows = MqlCommitment.objects.values_list("month", "segment__name", "mqls")
    return {(month, name or NO_SEGMENT): mqls for month, name, mqls in rows}


def _breaches(leads: QuerySet[Lead]) -> dict[tuple[date, str], int]:
    """Breach events (the sweeper writes one per lead and clock) by the lead's MQL month."""
    events = (
        LeadEvent.objects.filter(
            kind=LeadEventKind.SLA_BREACH, lead__in=leads.filter(mql_at__isnull=False)
        )
        .annotate(
            month=TruncMonth("lead__mql_at"),
            segment_name=Coalesce(
                "lead__segment__name",
                "lead__account__segment__name",
                Value(NO_SEGMENT),
                output_field=CharField(),
            ),
        )
        .values("month", "segment_name")
        .annotate(n=Count("pk"))
    )
    return {(_as_date(e["month"]), e["segment_name"]): e["n"] for e in events}


def sla_scorecard(leads: QuerySet[Lead], *, months: int = 12) -> list[ScorecardRow]:
    """Both sides' promises by month and segment, newest month first."""
    answered = Q(sal_at__lte=F("accept_due_at")) | Q(
        sal_at__isnull=True, recycled_at__lte=F("accept_due_at")
    )
    rows = (
        leads.filter(mql_at__isnull=False)
        .annotate(month=TruncMonth("mql_at"), segment_name=_segment_name())
        .values("month", "segment_name")
        .annotate(
            mqls=Count("pk"),
            accepted=Count("pk", filter=Q(sal_at__isnull=False)),
            answered_in_sla=Count("pk", filter=answered),
            contacted_in_sla=Count(
                "pk",
                filter=Q(sal_at__isnull=False, first_contact_at__lte=F("contact_due_at")),
            ),
        )
        .order_by("-month", "segment_name")
    )
    committed, breaches = _commitments(), _breaches(leads)
    result = []
    for r in rows:
        month = _as_date(r.pop("month"))
        segment = r.pop("segment_name")
        key = (month, segment)
        result.append(
            ScorecardRow(
                month, segment, committed=committed.get(key), breaches=breaches.get(key, 0), **r
            )
        )
    recent = sorted({row.month for row in result}, reverse=True)[:months]
    return [row for row in result if row.month in recent]


STAGE_ORDER = (*WATERFALL, LeadStage.RECYCLED, LeadStage.DISQUALIFIED)


@dataclass
class StageRow:
    stage: LeadStage
    in_force: StageDefinition | None
    pending: StageDefinition | None


def stage_rows() -> list[StageRow]:
    """Each stage with the version in force and the newest version still awaiting signatures."""
    in_force: dict[str, StageDefinition] = {}
    pending: dict[str, StageDefinition] = {}
    for d in StageDefinition.objects.select_related(
        "proposed_by", "sales_signed_by", "marketing_signed_by"
    ).order_by("stage", "-version"):
        if d.in_force_from is not None:
            in_force.setdefault(d.stage, d)
        elif d.stage not in in_force and d.stage not in pending:
            pending[d.stage] = d
    return [StageRow(s, in_force.get(s), pending.get(s)) for s in STAGE_ORDER]


@dataclass(frozen=True)
class OutboxState:
    waiting: int
    failing: int
    delivered: int
    last_error: str


def crm_outbox_state() -> OutboxState:
    """How the CRM webhook is doing: waiting, failing (tried at least once), delivered."""
    counts = CrmUpdate.objects.aggregate(
        waiting=Count("pk", filter=Q(delivered_at__isnull=True)),
        failing=Count("pk", filter=Q(delivered_at__isnull=True, attempts__gt=0)),
        delivered=Count("pk", filter=Q(delivered_at__isnull=False)),
    )
    latest = (
        CrmUpdate.objects.filter(delivered_at__isnull=True)
        .exclude(last_error="")
        .order_by("-pk")
        .values_list("last_error", flat=True)
        .first()
    )
    return OutboxState(**counts, last_error=latest or "")
