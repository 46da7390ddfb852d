"""The reverse waterfall: from a target to what every stage of the funnel must produce.

Goal maths the research describes: revenue target ÷ average deal size =
customers needed; ÷ win rate = opportunities needed; part of them come from
outside the period's MQLs (sales' own, partners, MQLs of earlier months) at
the rate observed before; the rest must come from MQLs, and the conversion
MQL → SAL → SQL → opportunity says how many MQLs that takes. The rates are
observed over the twelve months before the period (``history``).

The plan holds both sides to the SLA: it converts MQLs at the rates of the
MQLs that sales worked within the SLA. So marketing's commitment assumes
every lead is followed up in time, and what breached leads lose shows up as
sales' follow-up part in the ledger, not as a bigger MQL quota.

Arithmetic is exact (:class:`fractions.Fraction`); counts and sums come from
two small aggregate queries over the canonical tables (:func:`facts_read`),
so the same code runs on memtables in tests and on any engine in production.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

import ibis
import ibis.expr.types as ir

from accord.metrics.definitions.revenue import (
    NO_SEGMENT,
    between,
    count_of,
    month_add,
    opportunities,
)
from accord.metrics.registry import MetricQuery
from accord.metrics.tables import Tables

HISTORY_MONTHS = 12
MEASURES = ("revenue", "pipeline")
NOT_ENOUGH_HISTORY = (
    "Not enough history to plan from in the {months} months before {start} "
    "(segment {segment}): no {what}. The waterfall needs at least one of each."
)


class WaterfallError(ValueError):
    """A plan cannot be derived; the message says what is missing."""


# -- the facts: two aggregate queries per window ----------------------------------------


def leads_labelled(tables: Tables, segment: str | None) -> ir.Table:
    """Leads with their segment (the lead's own, else its account's), SLA and outcome flags.

    ``worked`` means sales answered within the accept clock (accepted, or
    rejected back to marketing) and, for an accepted lead, made first contact
    within the contact clock. A lead without a clock counts as worked once
    it was answered. ``became_opportunity`` means it turned into a deal.
    """
    leads, accounts, segments = tables.leads, tables.accounts, tables.segments
    names = segments.select(seg_id=segments.id, seg_name=segments.name)
    own = leads.left_join(names, leads.segment_id == names.seg_id)
    acc = accounts.left_join(names, accounts.segment_id == names.seg_id)
    acc = acc.select(acc_id=acc.id, acc_segment=acc.seg_name)
    both = own.left_join(acc, own.account_id == acc.acc_id)
    decided = ibis.coalesce(both.sal_at, both.recycled_at, both.disqualified_at)
    answered = ibis.ifelse(
        both.accept_due_at.isnull(), decided.notnull(), decided <= both.accept_due_at
    )
    contacted = both.sal_at.isnull() | ibis.ifelse(
        both.contact_due_at.isnull(),
        both.first_contact_at.notnull(),
        both.first_contact_at <= both.contact_due_at,
    )
    table = both.select(
        id=both.id,
        segment=ibis.coalesce(both.seg_name, both.acc_segment, ibis.literal(NO_SEGMENT)),
        mql_at=both.mql_at,
        sal_at=both.sal_at,
        sql_at=both.sql_at,
        converted_opportunity_id=both.converted_opportunity_id,
        worked=(answered & contacted).fill_null(False),
        became_opportunity=(
            both.opportunity_at.notnull() | both.converted_opportunity_id.notnull()
        ),
    )
    return table if segment is None else table.filter(table.segment == segment)


def _count(condition: ir.BooleanValue) -> ir.IntegerScalar:
    return count_of(condition)


def leads_expr(tables: Tables, segment: str | None, start: date, end: date) -> ir.Table:
    """One row: what the MQLs of ``[start, end)`` became, and the leads entering each stage.

    The ``cohort_*`` columns follow the leads that became MQLs in the window,
    however long they took afterwards; the ``entered_*`` columns count the
    leads that entered MQL, SAL and SQL inside the window.
    """
    leads = leads_labelled(tables, segment)
    mql = between(leads.mql_at, start, end)
    worked = mql & leads.worked
    return leads.aggregate(
        cohort_mqls=_count(mql),
        cohort_sals=_count(mql & leads.sal_at.notnull()),
        cohort_sqls=_count(mql & leads.sql_at.notnull()),
        cohort_opportunities=_count(mql & leads.became_opportunity),
        cohort_worked=_count(worked),
        cohort_worked_sals=_count(worked & leads.sal_at.notnull()),
        cohort_worked_sqls=_count(worked & leads.sql_at.notnull()),
        cohort_worked_opportunities=_count(worked & leads.became_opportunity),
        entered_mqls=_count(mql),
        entered_sals=_count(between(leads.sal_at, start, end)),
        entered_sqls=_count(between(leads.sql_at, start, end)),
    )


def opportunity_flows_expr(tables: Tables, segment: str | None, start: date, end: date) -> ir.Table:
    """One row: opportunities created (and their amount), closed, won (and won revenue)."""
    opps = opportunities(tables, MetricQuery(start, end, segment=segment))
    created = between(opps.created_at, start, end)
    closed = opps.closed & between(opps.closed_at, start, end)
    won = closed & opps.won
    return opps.aggregate(
        created=_count(created),
        pipeline=opps.amount_exact.sum(where=created),
        closed=_count(closed),
        won=_count(won),
        revenue=opps.amount_exact.sum(where=won),
    )


@dataclass(frozen=True)
class Cohort:
    """What the MQLs of a window became (however long it took)."""

    mqls: int
    sals: int
    sqls: int
    opportunities: int
    worked: int
    worked_sals: int
    worked_sqls: int
    worked_opportunities: int


@dataclass(frozen=True)
class Flows:
    """What happened in a window: stage entries, opportunities opened, deals closed."""

    mqls: int
    sals: int
    sqls: int
    opportunities: int
    pipeline: Decimal
    closed: int
    won: int
    revenue: Decimal


@dataclass(frozen=True)
class Facts:
    start: date
    end: date
    segment: str | None
    cohort: Cohort
    flows: Flows

    @property
    def months(self) -> int:
        return (self.end.year - self.start.year) * 12 + self.end.month - self.start.month


def exact(value: object) -> Decimal:
    """A sum as an exact Decimal in cents (engines hand back Decimal, float or nothing)."""
    if value is None:
        return Decimal("0.00")
    if isinstance(value, float):
        return Decimal(repr(value)).quantize(Decimal("0.01"))
    return Decimal(value).quantize(Decimal("0.01"))  # type: ignore[arg-type]


def _row(expr: ir.Table) -> dict[str, object]:
    return expr.to_pyarrow().to_pylist()[0]


def facts_read(tables: Tables, *, segment: str | None, start: date, end: date) -> Facts:
    """Run the two aggregate queries (leads, opportunities) for one window and segment."""
    leads = {k: int(v) for k, v in _row(leads_expr(tables, segment, start, end)).items()}  # type: ignore[call-overload]
    opps = _row(opportunity_flows_expr(tables, segment, start, end))
    flows = Flows(
        mqls=leads["entered_mqls"],
        sals=leads["entered_sals"],
        sqls=leads["entered_sqls"],
        opportunities=int(opps["created"]),  # type: ignore[call-overload]
        pipeline=exact(opps["pipeline"]),
        closed=int(opps["closed"]),  # type: ignore[call-overload]
        won=int(opps["won"]),  # type: ignore[call-overload]
        revenue=exact(opps["revenue"]),
    )
    prefix = "cohort_"
    cohort = Cohort(**{k[len(prefix) :]: v for k, v in leads.items() if k.startswith(prefix)})
    return Facts(start, end, segment, cohort, flows)


# -- observed rates ---------------------------------------------------------------------


@dataclass(frozen=True)
class Rates:
    """Rates observed over a history window (exact).

    The stage rates are those of MQLs worked within the SLA, so their product
    is ``quality``; ``conversion`` (all MQLs, however worked) is shown beside.
    """

    mql_to_sal: Fraction
    sal_to_sql: Fraction
    sql_to_opportunity: Fraction
    quality: Fraction  # opportunities per MQL worked within the SLA
    conversion: Fraction  # opportunities per MQL, however worked
    win_rate: Fraction
    deal_size: Fraction
    opportunity_size: Fraction
    other_per_month: Fraction  # opportunities per month not from that window's MQLs


def rates_observed(history: Facts) -> Rates:
    c, f = history.cohort, history.flows
    needed = {
        "MQLs worked within the SLA": c.worked,
        "such MQLs accepted (SAL)": c.worked_sals,
        "such MQLs qualified (SQL)": c.worked_sqls,
        "such MQLs that became opportunities": c.worked_opportunities,
        "won deals": f.won,
        "opportunities created": f.opportunities,
    }
    missing = [what for what, n in needed.items() if n == 0]
    if missing:
        raise WaterfallError(
            NOT_ENOUGH_HISTORY.format(
                what=", no ".join(missing),
                months=history.months,
                start=history.end.isoformat(),
                segment=history.segment or "all",
            )
        )
    return Rates(
        mql_to_sal=Fraction(c.worked_sals, c.worked),
        sal_to_sql=Fraction(c.worked_sqls, c.worked_sals),
        sql_to_opportunity=Fraction(c.worked_opportunities, c.worked_sqls),
        quality=Fraction(c.worked_opportunities, c.worked),
        conversion=Fraction(c.opportunities, c.mqls),
        win_rate=Fraction(f.won, f.closed),
        deal_size=Fraction(f.revenue) / f.won,
        opportunity_size=Fraction(f.pipeline) / f.opportunities,
        other_per_month=Fraction(f.opportunities - c.opportunities, history.months),
    )


def history_read(
    tables: Tables, *, segment: str | None, start: date, months: int = HISTORY_MONTHS
) -> Facts:
    return facts_read(tables, segment=segment, start=month_add(start, -months), end=start)


# -- the plan ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    """What each stage must produce in the period to reach ``target`` (exact, unrounded)."""

    measure: str
    target: Decimal
    months: int
    rates: Rates
    customers: Fraction | None
    opportunities: Fraction
    other_opportunities: Fraction
    sqls: Fraction
    sals: Fraction
    mqls: Fraction

    @property
    def mql_commitment(self) -> int:
        """Marketing's commitment: the MQLs needed, rounded up."""
        return math.ceil(self.mqls)

    @property
    def pipeline_commitment(self) -> Decimal:
        """Sales' commitment: the pipeline the needed opportunities add up to."""
        return cents(self.opportunities * self.rates.opportunity_size)


def cents(value: Fraction) -> Decimal:
    """Round an exact amount to the cent (half to even), exactly."""
    return Decimal(round(value * 100)).scaleb(-2)


def plan_from_target(target: Decimal, *, measure: str, rates: Rates, months: int) -> Plan:
    if measure not in MEASURES:
        raise WaterfallError(f"measure must be one of {', '.join(MEASURES)}, not {measure!r}")
    goal = Fraction(target)
    if measure == "revenue":
        customers: Fraction | None = goal / rates.deal_size
        needed = customers / rates.win_rate
    else:
        customers, needed = None, goal / rates.opportunity_size
    other = min(rates.other_per_month * months, needed)
    from_mqls = needed - other
    sqls = from_mqls / rates.sql_to_opportunity
    sals = sqls / rates.sal_to_sql
    return Plan(
        measure=measure,
        target=target,
        months=months,
        rates=rates,
        customers=customers,
        opportunities=needed,
        other_opportunities=other,
        sqls=sqls,
        sals=sals,
        mqls=from_mqls / rates.quality,
    )


# -- plan versus actual ------------------------------------------------------------------


@dataclass(frozen=True)
class StageRow:
    stage: str
    plan: float | None
    actual: float
    side: str


def plan_versus_actual(plan: Plan, actual: Facts) -> list[StageRow]:
    """Per stage: what the plan needed in the period and what entered the stage in it."""
    f = actual.flows
    outcome = f.revenue if plan.measure == "revenue" else f.pipeline
    rows = [
        StageRow("MQLs", float(plan.mqls), f.mqls, "marketing"),
        StageRow("SALs", float(plan.sals), f.sals, "sales"),
        StageRow("SQLs", float(plan.sqls), f.sqls, "sales"),
        StageRow("Opportunities", float(plan.opportunities), f.opportunities, "sales"),
    ]
    if plan.customers is not None:
        rows.append(StageRow("Won deals", float(plan.customers), f.won, "sales"))
    rows.append(StageRow(plan.measure.capitalize(), float(plan.target), float(outcome), "both"))
    return rows


@dataclass(frozen=True)
class Waterfall:
    plan: Plan
    history: Facts
    actual: Facts
    stages: list[StageRow]


def waterfall_compute(
    tables: Tables,
    *,
    target: Decimal,
    measure: str,
    start: date,
    end: date,
    segment: str | None,
    history_months: int = HISTORY_MONTHS,
) -> Waterfall:
    """The plan for ``target`` in ``[start, end)`` and what actually happened."""
    history = history_read(tables, segment=segment, start=start, months=history_months)
    actual = facts_read(tables, segment=segment, start=start, end=end)
    plan = plan_from_target(
        target, measure=measure, rates=rates_observed(history), months=actual.months
    )
    return Waterfall(plan, history, actual, plan_versus_actual(plan, actual))
