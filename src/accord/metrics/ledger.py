"""The accountability ledger: the gap between target and actual, split into parts that add up.

The outcome is a chain of five factors, in funnel order::

    revenue  = (MQLs x quality x follow-up + other opportunities) x win rate x deal size
    pipeline = (MQLs x quality x follow-up + other opportunities) x opportunity size

- MQL volume (marketing): MQLs delivered in the period; plan = the MQLs the
  target needs (the reverse waterfall).
- Lead quality (marketing): opportunities per MQL that sales worked within
  the SLA; plan = the rate observed over the twelve months before.
- Follow-up (sales): the plan has every MQL worked within the SLA, so this
  is what the breached and never-worked MQLs lost against the conversion
  they would have had (the actual quality), less the opportunities sales
  opened beyond the plan outside those MQLs (its own, older MQLs').
- Win rate (sales): won deals against the plan's win rate on the
  opportunities actually opened (revenue only).
- Deal size (sales): revenue per won deal (per opportunity for pipeline).

Sequential substitution: outcome[0] is the plan (= the target exactly), and
outcome[i] moves factor i from plan to actual with factors 1..i-1 already
moved; the last outcome is the actual. Each part is outcome[i-1] - outcome[i],
so the parts telescope to target - actual. Outcomes are exact fractions,
rounded to the cent once each; the parts are differences of those rounded
outcomes, so they add up to the gap to the cent with no residual.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction

import ibis.expr.types as ir

from accord.metrics.definitions.revenue import between, month_add, opportunities
from accord.metrics.registry import MetricQuery
from accord.metrics.tables import Tables
from accord.metrics.targets import committed_mqls, target_total
from accord.metrics.waterfall import (
    HISTORY_MONTHS,
    Facts,
    Plan,
    cents,
    facts_read,
    history_read,
    leads_labelled,
    plan_from_target,
    rates_observed,
)


@dataclass(frozen=True)
class Part:
    """One factor's share of the gap (positive: it made the shortfall bigger)."""

    key: str
    name: str
    side: str
    amount: Decimal
    plan: float
    actual: float
    unit: str
    lead_ids: list[int] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "key": self.key,
            "side": self.side,
            "amount": float(self.amount),
            "plan": self.plan,
            "actual": self.actual,
            "unit": self.unit,
            "leads": len(self.lead_ids),
            "lead_ids": self.lead_ids,
        }


@dataclass(frozen=True)
class Ledger:
    measure: str
    start: date
    end: date
    segment: str | None
    target: Decimal
    actual: Decimal
    parts: list[Part]
    plan: Plan
    committed_mqls: int | None

    @property
    def gap(self) -> Decimal:
        return self.target - self.actual

    def as_dict(self) -> dict[str, object]:
        return {
            "measure": self.measure,
            "from": self.start.strftime("%Y-%m"),
            "to": month_add(self.end, -1).strftime("%Y-%m"),
            "segment": self.segment,
            "target": float(self.target),
            "actual": float(self.actual),
            "gap": float(self.gap),
            "parts": [part.as_dict() for part in self.parts],
            "mqls_needed": float(round(self.plan.mqls, 1)),
            "mqls_committed": self.committed_mqls,
            "order": [part.name for part in self.parts],
        }


# -- the leads behind each part ---------------------------------------------------------


@dataclass(frozen=True)
class LeadSets:
    mqls: list[int]
    worked: list[int]
    not_worked: list[int]
    lost: list[int]
    won: list[int]
    created: list[int]


def _rows(expr: ir.Table) -> list[dict[str, object]]:
    return sorted(expr.to_pyarrow().to_pylist(), key=lambda row: row["id"])  # type: ignore[arg-type,return-value]


def lead_sets(tables: Tables, *, segment: str | None, start: date, end: date) -> LeadSets:
    """The lead ids behind each part, in two queries (the period's MQLs; the deals' leads)."""
    leads = leads_labelled(tables, segment)
    mqls = _rows(leads.filter(between(leads.mql_at, start, end)).select("id", "worked"))
    opps = opportunities(tables, MetricQuery(start, end, segment=segment))
    closed = opps.closed & between(opps.closed_at, start, end)
    flagged = opps.select(
        opp_id=opps.id,
        lost=closed & ~opps.won,
        won=closed & opps.won,
        created=between(opps.created_at, start, end),
    )
    flagged = flagged.filter(flagged.lost | flagged.won | flagged.created)
    all_leads = tables.leads
    joined = all_leads.join(flagged, all_leads.converted_opportunity_id == flagged.opp_id)
    behind = _rows(joined.select(joined.id, joined.lost, joined.won, joined.created))

    def ids(rows: list[dict[str, object]], flag: str, value: bool = True) -> list[int]:
        return [int(row["id"]) for row in rows if bool(row[flag]) is value]  # type: ignore[call-overload]

    return LeadSets(
        mqls=[int(row["id"]) for row in mqls],  # type: ignore[call-overload]
        worked=ids(mqls, "worked"),
        not_worked=ids(mqls, "worked", False),
        lost=ids(behind, "lost"),
        won=ids(behind, "won"),
        created=ids(behind, "created"),
    )


# -- the substitution -------------------------------------------------------------------


def _quality(actual: Facts, plan: Plan) -> Fraction:
    """Actual lead quality; with no MQL worked within the SLA it cannot be seen: use the plan's."""
    c = actual.cohort
    if c.worked == 0:
        return plan.rates.quality
    return Fraction(c.worked_opportunities, c.worked)


def outcomes(plan: Plan, actual: Facts) -> list[Fraction]:
    """outcome[0] ... outcome[n]: the plan, then one factor after another moved to actual."""
    r = plan.rates
    flows, mqls = actual.flows, actual.cohort.mqls
    other = plan.other_opportunities
    value = r.win_rate * r.deal_size if plan.measure == "revenue" else r.opportunity_size
    chain = [
        (plan.mqls * r.quality + other) * value,  # the plan: equals the target
        (mqls * r.quality + other) * value,  # MQL volume moved
        (mqls * _quality(actual, plan) + other) * value,  # lead quality moved
        flows.opportunities * value,  # follow-up moved: the opportunities actually opened
    ]
    if plan.measure == "revenue":
        chain.append(flows.won * r.deal_size)  # win rate moved: the deals actually won
        chain.append(Fraction(flows.revenue))  # deal size moved: the revenue actually won
    else:
        chain.append(Fraction(flows.pipeline))  # opportunity size moved: the pipeline opened
    return chain


def _factors(plan: Plan, actual: Facts) -> list[tuple[str, str, str, float, float, str]]:
    """(key, name, side, plan, actual, unit) of each factor, in substitution order."""
    r, c, f = plan.rates, actual.cohort, actual.flows
    mqls_opps = c.mqls * _quality(actual, plan) + plan.other_opportunities
    factors = [
        ("mql_volume", "MQL volume", "marketing", float(plan.mqls), c.mqls, "MQLs"),
        ("lead_quality", "Lead quality", "marketing", float(r.quality),
         float(_quality(actual, plan)), "opportunities per MQL worked within SLA"),
        ("follow_up", "Follow-up", "sales", float(mqls_opps), f.opportunities, "opportunities"),
    ]  # fmt: skip
    if plan.measure == "revenue":
        won_plan = float(f.opportunities * r.win_rate)
        size = float(Fraction(f.revenue) / f.won) if f.won else 0.0
        factors.append(("win_rate", "Win rate", "sales", won_plan, f.won, "won deals"))
        factors.append(("deal_size", "Deal size", "sales", float(r.deal_size), size, "per deal"))
    else:
        size = float(Fraction(f.pipeline) / f.opportunities) if f.opportunities else 0.0
        factors.append(
            ("deal_size", "Deal size", "sales", float(r.opportunity_size), size, "per opportunity")
        )
    return factors


def parts_compute(plan: Plan, actual: Facts, leads: LeadSets) -> list[Part]:
    """Each factor's part: the drop in outcome when it moves, in cents that add up."""
    rounded = [cents(x) for x in outcomes(plan, actual)]
    rounded[0] = plan.target
    by_key = {
        "mql_volume": leads.mqls,
        "lead_quality": leads.worked,
        "follow_up": leads.not_worked,
        "win_rate": leads.lost,
        "deal_size": leads.won if plan.measure == "revenue" else leads.created,
    }
    return [
        Part(key, name, side, rounded[i] - rounded[i + 1], plan_v, actual_v, unit, by_key[key])
        for i, (key, name, side, plan_v, actual_v, unit) in enumerate(_factors(plan, actual))
    ]


def ledger_compute(
    tables: Tables,
    *,
    start: date,
    end: date,
    segment: str | None = None,
    measure: str = "revenue",
    history_months: int = HISTORY_MONTHS,
) -> Ledger:
    """The ledger of ``[start, end)``; raises NoTargetError when the period has no target."""
    target = target_total(tables, measure=measure, start=start, end=end, segment=segment)
    history = history_read(tables, segment=segment, start=start, months=history_months)
    actual = facts_read(tables, segment=segment, start=start, end=end)
    plan = plan_from_target(
        target, measure=measure, rates=rates_observed(history), months=actual.months
    )
    parts = parts_compute(plan, actual, lead_sets(tables, segment=segment, start=start, end=end))
    outcome = actual.flows.revenue if measure == "revenue" else actual.flows.pipeline
    committed = committed_mqls(tables, start=start, end=end, segment=segment)
    return Ledger(measure, start, end, segment, target, outcome, parts, plan, committed)


def ledger_current(
    *,
    start: date,
    end: date,
    segment: str | None = None,
    measure: str = "revenue",
    engine: str | None = None,
) -> Ledger:
    """The ledger on the app's current data (the snapshot is refreshed first if stale)."""
    from accord.metrics import gateway, snapshot

    if engine in (None, "duckdb"):
        snapshot.snapshot_take()
    source = gateway.source_for(engine)
    return ledger_compute(source.tables, start=start, end=end, segment=segment, measure=measure)
