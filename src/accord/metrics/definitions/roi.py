"""Return on marketing spend per channel and campaign, for every attribution model.

ROI here is revenue per unit of spend: the won revenue each model credits to
a channel (or campaign) over what was spent on it in the same period. A
value of 3 means every 1 spent came back as 3 of won revenue.

Two pure parts and one step that executes, kept apart:

- :func:`closed_journeys` (pure): the touch journeys of the opportunities
  closed in the period (won ones convert, with their amount);
- :func:`spend_by` (pure): the period's spend per channel or campaign;
- :func:`roi_compute` runs the attribution engine on the journeys (the
  engine executes its own small aggregate queries) and divides.
"""

from __future__ import annotations

from dataclasses import dataclass

import ibis.expr.types as ir

from accord.metrics.attribution import MODELS, attribute
from accord.metrics.attribution.expressions import NO_CAMPAIGN
from accord.metrics.attribution.journeys import journeys_from_crm
from accord.metrics.definitions.money import marketing_spend
from accord.metrics.definitions.revenue import between, opportunities
from accord.metrics.registry import MetricQuery
from accord.metrics.tables import Tables

BREAKDOWNS = ("channel", "campaign")
DEFAULT_LOOKBACK_DAYS = 365


def closed_journeys(
    tables: Tables, query: MetricQuery, *, lookback_days: int = DEFAULT_LOOKBACK_DAYS
) -> ir.Table:
    """Canonical touch journeys of the opportunities (of the segment) closed in the period."""
    journeys = journeys_from_crm(
        tables.touches, tables.opportunities, lookback_days=lookback_days, anchor="created"
    )
    opps = opportunities(tables, query)
    closed = opps.filter(opps.closed & between(opps.closed_at, query.start, query.end))
    keys = closed.select(closed_id="opportunity:" + closed.id.cast("string"))
    return journeys.semi_join(keys, journeys.journey_id == keys.closed_id)


def spend_by(tables: Tables, query: MetricQuery, by: str) -> ir.Table:
    """The period's spend per channel, or per campaign id (``key``, ``spend``)."""
    if by not in BREAKDOWNS:
        raise ValueError(f"ROI is by channel or campaign, not {by!r}")
    if by == "channel":
        rows = marketing_spend(tables, query)
        keyed = rows.select(key=rows.channel, amount=rows.amount)
    else:
        keyed = marketing_spend_by_id(tables, query)
    return keyed.group_by("key").aggregate(spend=keyed.amount.sum())


def marketing_spend_by_id(tables: Tables, query: MetricQuery) -> ir.Table:
    """The period's spend rows keyed by campaign id as text (the attribution key)."""
    spend = tables.spend
    spend = spend.filter(
        (spend.period_start >= query.start) & (spend.period_start < query.end)
    ).mutate(key=spend.campaign_id.cast("string").fill_null(NO_CAMPAIGN))
    if query.segment is not None:
        campaigns, segments = tables.campaigns, tables.segments
        names = segments.filter(segments.name == query.segment).select(seg_id=segments.id)
        chosen = campaigns.semi_join(names, campaigns.segment_id == names.seg_id).select(
            chosen_id=campaigns.id
        )
        spend = spend.semi_join(chosen, spend.campaign_id == chosen.chosen_id)
    return spend.select("key", amount=spend.amount_company.cast("float64"))


@dataclass(frozen=True)
class RoiRow:
    key: str
    label: str
    spend: float
    revenue: dict[str, float]

    def roi(self, model: str) -> float | None:
        return self.revenue[model] / self.spend if self.spend else None

    def as_dict(self) -> dict[str, object]:
        return {
            "key": self.key,
            "label": self.label,
            "spend": self.spend,
            "revenue": self.revenue,
            "roi": {model: self.roi(model) for model in self.revenue},
        }


@dataclass(frozen=True)
class Roi:
    by: str
    models: tuple[str, ...]
    rows: list[RoiRow]
    skipped: dict[str, str]

    def as_dict(self) -> dict[str, object]:
        return {
            "by": self.by,
            "models": list(self.models),
            "rows": [row.as_dict() for row in self.rows],
            "skipped": self.skipped,
        }


def _labels(tables: Tables, by: str, keys: set[str]) -> dict[str, str]:
    if by == "channel":
        return {key: key for key in keys}
    campaigns = tables.campaigns.select("id", "name").to_pyarrow().to_pylist()
    names = {str(row["id"]): row["name"] for row in campaigns}
    return {key: names.get(key, key) for key in keys}


def roi_compute(
    tables: Tables,
    query: MetricQuery,
    *,
    by: str = "channel",
    models: tuple[str, ...] = MODELS,
    lookback_days: int = DEFAULT_LOOKBACK_DAYS,
) -> Roi:
    """Attributed revenue and spend per channel or campaign, and their ratio, per model."""
    spend = {
        row["key"]: float(row["spend"] or 0.0)
        for row in spend_by(tables, query, by).to_pyarrow().to_pylist()
    }
    credit = attribute(
        closed_journeys(tables, query, lookback_days=lookback_days), models=models, by=by
    )
    ran = tuple(credit.models)
    keys = set(spend) | {k for c in credit.models.values() for k in c.value}
    labels = _labels(tables, by, keys)
    rows = [
        RoiRow(
            key=key,
            label=labels[key],
            spend=spend.get(key, 0.0),
            revenue={m: credit.models[m].value.get(key, 0.0) for m in ran},
        )
        for key in sorted(keys)
    ]
    return Roi(by, ran, rows, credit.skipped)
