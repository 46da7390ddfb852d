"""Demo targets, MQL commitments and sales costs, so the ledger has a story to tell.

Every month of the demo's history gets a revenue and a pipeline target per
segment, near what the segment actually did; marketing's MQL commitment
sits near the MQLs it delivered. In the last full quarter one segment (the
one that delivered the most MQLs) was planned with the reverse waterfall
instead and asked for a third more MQLs than marketing brought: its ledger
shows marketing's MQL shortfall first, and sales' follow-up part shows what
the leads the slow reps left unworked cost. Deterministic for a seed; the
generated data is read once into memory tables (no snapshot is written).
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from datetime import UTC, date, datetime
from decimal import Decimal
from fractions import Fraction

import ibis
import pyarrow as pa
from django.db import transaction

from accord.crm.models import Opportunity
from accord.directory.models import Person, Segment, Team, TeamKind
from accord.directory.roles import Role
from accord.funnel.models import MqlCommitment
from accord.metrics.definitions.revenue import month_add
from accord.metrics.models import SalesCost, SalesCostKind, Target, TargetMeasure
from accord.metrics.services import split_evenly
from accord.metrics.snapshot import canonical_model, canonical_schema
from accord.metrics.tables import Tables
from accord.metrics.waterfall import (
    WaterfallError,
    cents,
    facts_read,
    history_read,
    rates_observed,
)
from accord.months import last_full_quarter as quarter_ended

HISTORY_MONTHS = 24
STORY_SHORTFALL = Fraction(4, 3)  # the story segment was asked for a third more MQLs
READ_TABLES = ("leads", "opportunities", "accounts", "segments", "people")
SALARY_PER_REP = 7_000
TOOLS_PER_REP = 150
COMMISSION = Decimal("0.08")


def tables_in_memory(names: tuple[str, ...] = READ_TABLES) -> Tables:
    """The named canonical tables read from the app database into memory tables."""
    con = ibis.duckdb.connect()
    con.raw_sql("SET TimeZone = 'UTC'")
    by_name = {}
    for name in names:
        schema = canonical_schema(name)
        rows = list(canonical_model(name).objects.order_by("pk").values_list(*schema.names))
        columns = list(zip(*rows, strict=True)) if rows else [[] for _ in schema.names]
        arrays = [pa.array(list(c), f.type) for c, f in zip(columns, schema, strict=True)]
        table = pa.Table.from_arrays(arrays, schema=schema)
        by_name[name] = con.create_table(name, ibis.memtable(table))
    return Tables(by_name)


def last_full_quarter(as_of: datetime) -> tuple[date, date]:
    return quarter_ended(as_of.astimezone(UTC).date())


def _won_and_created(segments: list[Segment]) -> dict[tuple[str, date, int], Decimal]:
    """(measure, month, segment id) → won revenue or pipeline created that month."""
    totals: dict[tuple[str, date, int], Decimal] = defaultdict(Decimal)
    rows = Opportunity.objects.filter(account__segment__in=segments).values_list(
        "account__segment_id", "amount_company", "created_at", "closed_at", "is_won"
    )
    for segment_id, amount, created, closed, won in rows:
        amount = amount or Decimal(0)
        totals[("pipeline", created.date().replace(day=1), segment_id)] += amount
        if won and closed is not None:
            totals[("revenue", closed.date().replace(day=1), segment_id)] += amount
    return totals


def _story_targets(
    tables: Tables, segment: Segment, start: date, end: date
) -> tuple[Decimal, int] | None:
    """(revenue target for the quarter, MQLs needed) from the waterfall, or None without history."""
    try:
        rates = rates_observed(history_read(tables, segment=segment.name, start=start))
    except WaterfallError:
        return None
    actual = facts_read(tables, segment=segment.name, start=start, end=end)
    asked = actual.cohort.mqls * STORY_SHORTFALL
    opportunities = asked * rates.quality + rates.other_per_month * actual.months
    return cents(opportunities * rates.win_rate * rates.deal_size), math.ceil(asked)


def _round_hundreds(value: Decimal, rng: random.Random) -> Decimal:
    return (value * Decimal(str(rng.uniform(1.02, 1.15)))).quantize(Decimal("1E2"))


def _targets(
    rng: random.Random, as_of: datetime, segments: list[Segment], owners: dict[str, Person]
) -> None:
    tables = tables_in_memory()
    start, end = last_full_quarter(as_of)
    first = month_add(start, -(HISTORY_MONTHS - 3))
    months = [month_add(first, i) for i in range(HISTORY_MONTHS + 3)]
    totals = _won_and_created(segments)
    mqls = _mqls_by_month(segments)
    story = max(segments, key=lambda s: sum(n for (m, sid), n in mqls.items() if sid == s.pk))
    planned = {story.pk: _story_targets(tables, story, start, end)}
    now = as_of.astimezone(UTC)
    targets, commitments = [], []
    for segment in segments:
        plan = planned.get(segment.pk)
        quarter = [m for m in months if start <= m < end]
        revenue = split_evenly(int(plan[0] * 100), 3) if plan else None
        asked = split_evenly(plan[1], 3) if plan else None
        for month in months:
            in_story = plan is not None and month in quarter
            for measure in TargetMeasure.values:
                if in_story and measure == "revenue":
                    amount = Decimal(revenue[quarter.index(month)]).scaleb(-2)  # type: ignore[index]
                else:
                    amount = _round_hundreds(totals[(measure, month, segment.pk)], rng)
                targets.append(_target(month, segment, measure, amount, owners, now))
            delivered = mqls.get((month, segment.pk), 0)
            count = asked[quarter.index(month)] if in_story else round(delivered * 1.05)  # type: ignore[index]
            commitments.append(MqlCommitment(month=month, segment=segment, mqls=count))
    Target.objects.bulk_create(targets)
    MqlCommitment.objects.bulk_create(commitments)


def _target(
    month: date,
    segment: Segment,
    measure: str,
    amount: Decimal,
    owners: dict[str, Person],
    now: datetime,
) -> Target:
    return Target(
        month=month,
        segment=segment,
        measure=measure,
        amount=amount,
        sales_owner=owners.get("sales"),
        marketing_owner=owners.get("marketing"),
        set_by=owners.get("cro"),
        set_at=now,
        note="Demo plan",
    )


def _mqls_by_month(segments: list[Segment]) -> dict[tuple[date, int], int]:
    from accord.crm.models import Lead

    counts: dict[tuple[date, int], int] = defaultdict(int)
    rows = Lead.objects.filter(mql_at__isnull=False).values_list(
        "mql_at", "segment_id", "account__segment_id"
    )
    for mql_at, own, account in rows:
        segment_id = own or account
        if segment_id is not None:
            counts[(mql_at.date().replace(day=1), segment_id)] += 1
    return counts


def _sales_costs(rng: random.Random, as_of: datetime, segments: list[Segment]) -> None:
    """Salaries and tools per sales team, commission per segment, for every month."""
    end = date(as_of.year, as_of.month, 1)
    months = [month_add(end, -i) for i in range(HISTORY_MONTHS, -1, -1)]
    teams = list(Team.objects.filter(kind=TeamKind.SALES).order_by("name"))
    reps = {t.pk: t.members.filter(role=Role.SALES_REP).count() for t in teams}
    won = _won_and_created(segments)
    now = as_of.astimezone(UTC)
    rows = []
    for month in months:
        for team in teams:
            salaries = Decimal(reps[team.pk] * SALARY_PER_REP) * Decimal(
                str(rng.uniform(0.97, 1.03))
            )
            rows.append(_cost(month, None, team, SalesCostKind.SALARIES, salaries, now))
            rows.append(
                _cost(month, None, team, SalesCostKind.TOOLS, reps[team.pk] * TOOLS_PER_REP, now)
            )
        for segment in segments:
            commission = won[("revenue", month, segment.pk)] * COMMISSION
            rows.append(_cost(month, segment, None, SalesCostKind.COMMISSION, commission, now))
    SalesCost.objects.bulk_create(rows)


def _cost(
    month: date,
    segment: Segment | None,
    team: Team | None,
    kind: str,
    amount: Decimal | int,
    now: datetime,
) -> SalesCost:
    amount = Decimal(amount).quantize(Decimal("0.01"))
    return SalesCost(
        month=month, segment=segment, team=team, kind=kind, amount=amount, recorded_at=now,
        imported=True,
    )  # fmt: skip


def metrics_demo_build(as_of: datetime, *, seed: int = 7) -> None:
    """Targets, MQL commitments and sales costs for the demo company (idempotent: once)."""
    if Target.objects.exists() or SalesCost.objects.exists():
        return
    rng = random.Random(f"metrics-{seed}")
    segments = list(Segment.objects.order_by("name"))
    owners = {
        "sales": Person.objects.filter(role=Role.SALES_MANAGER).order_by("pk").first(),
        "marketing": Person.objects.filter(role=Role.MARKETING_MANAGER).order_by("pk").first(),
        "cro": Person.objects.filter(role=Role.REVENUE_LEADER).order_by("pk").first(),
    }
    with transaction.atomic():
        _targets(rng, as_of, segments, owners)  # type: ignore[arg-type]
        _sales_costs(rng, as_of, segments)
