"""The cockpit's numbers from the metric layer: scorecard tiles and metric charts.

Every number comes from ``accord.metrics.gateway.run`` on the current snapshot,
narrowed to the filters' team, region and channel by ``accord.metrics.scope``,
so the cockpit, ``accord metrics`` and the API agree. Each tile keeps the
definition version and data time it was computed from.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from accord.directory.models import Person
from accord.metrics import gateway
from accord.metrics.definitions.roi import roi_compute
from accord.metrics.gateway import MetricResult, Source
from accord.metrics.ledger import ledger_compute
from accord.metrics.registry import MetricQuery, metric_get
from accord.metrics.scope import Scope, tables_scoped
from accord.metrics.targets import NoTargetError, target_total
from accord.metrics.waterfall import WaterfallError
from accord.web.charts import Chart, bars_chart, funnel_chart, lines_chart, waterfall_chart
from accord.web.filters import Filters, month_add

STAGE_ENTRIES = (
    ("Inquiry", "conversion_inquiry_to_mql"),
    ("MQL", "conversion_mql_to_sal"),
    ("SAL", "conversion_sal_to_sql"),
    ("SQL", "conversion_sql_to_opportunity"),
    ("Opportunity", "conversion_opportunity_to_customer"),
)
CONVERSIONS = (
    ("MQL to SAL", "conversion_mql_to_sal"),
    ("SAL to SQL", "conversion_sal_to_sql"),
    ("SQL to opportunity", "conversion_sql_to_opportunity"),
    ("Opportunity to customer", "conversion_opportunity_to_customer"),
)
Series = dict[str, list[float | None]]
SLA_SERIES = (
    ("Sales: accepted in time", "sla_accept_in_time"),
    ("Sales: contacted in time", "sla_contact_in_time"),
    ("Marketing: MQLs delivered vs commitment", "sla_mql_delivery"),
)
MODEL_LABELS = {
    "first": "First touch",
    "last": "Last touch",
    "last_non_direct": "Last non-direct",
    "linear": "Linear",
    "time_decay": "Time decay",
    "position": "U-shaped",
    "w_shaped": "W-shaped",
    "full_path": "Full path",
    "j_shaped": "J-shaped",
    "inverse_j": "Inverse J",
    "markov": "Markov",
    "shapley": "Shapley",
}
CHARTED_MODELS = ("first", "last", "linear", "position", "markov", "shapley")
ROI_MODELS = ("position", "markov")
TILES = (
    ("revenue_won", "sales"),
    ("pipeline_created", "both"),
    ("marketing_sourced_pipeline", "marketing"),
    ("conversion_mql_to_sal", "both"),
    ("conversion_sal_to_sql", "sales"),
    ("win_rate", "sales"),
    ("sla_accept_in_time", "sales"),
    ("sla_contact_in_time", "sales"),
    ("sla_mql_delivery", "marketing"),
    ("cac", "both"),
    ("clv", "both"),
    ("revenue_growth_mom", "both"),
    ("revenue_growth_yoy", "both"),
)


@dataclass(frozen=True)
class Tile:
    key: str
    name: str
    unit: str
    value: float | None
    side: str
    definition: str
    definition_version: int
    target: Decimal | None = None


def scope_of(filters: Filters) -> Scope:
    owners = None
    if filters.team is not None:
        owners = frozenset(Person.objects.filter(team=filters.team).values_list("pk", flat=True))
    region = filters.region.pk if filters.region is not None else None
    return Scope(owner_ids=owners, territory_id=region, channel=filters.channel or None)


def source_of(filters: Filters) -> Source:
    """The current snapshot, narrowed to the filters; its cache key names the slice."""
    base = gateway.source_for(None)
    scope = scope_of(filters)
    if scope.everything:
        return base
    tables = tables_scoped(base.tables, scope)
    return replace(base, tables=tables, data_version=f"{base.data_version}|{scope.key()}")


class Board:
    """The metric layer seen through one set of filters."""

    def __init__(self, filters: Filters) -> None:
        self.filters = filters
        self.source = source_of(filters)
        self.segment = filters.segment.name if filters.segment is not None else None

    def run(self, key: str, *, by: str | None = None, month: object = None) -> MetricResult:
        start, end = (
            (month, month_add(month, 1)) if month else (self.filters.first, self.filters.end)
        )
        query = MetricQuery(start=start, end=end, segment=self.segment, by=by)
        return gateway.run(key, query, engine=self.source)

    def value(self, key: str) -> float | None:
        rows = self.run(key).rows
        return rows[0].get("value") if rows else None

    def tiles(self) -> list[Tile]:
        tiles = []
        for key, side in TILES:
            result, mdef = self.run(key), metric_get(key)
            value = result.rows[0].get("value") if result.rows else None
            tiles.append(
                Tile(
                    key=key,
                    name=mdef.name,
                    unit=mdef.unit,
                    value=value,
                    side=side,
                    definition=mdef.definition,
                    definition_version=result.definition_version,
                    target=self.target(key),
                )
            )
        return tiles

    def target(self, key: str) -> Decimal | None:
        measure = {"revenue_won": "revenue", "pipeline_created": "pipeline"}.get(key)
        if measure is None:
            return None
        try:
            return target_total(
                self.source.tables,
                measure=measure,
                start=self.filters.first,
                end=self.filters.end,
                segment=self.segment,
            )
        except NoTargetError:
            return None

    def data_time(self) -> object:
        return self.source.data_time

    # -- charts ---------------------------------------------------------------------------

    def funnel(self) -> Chart:
        counts = []
        for stage, key in STAGE_ENTRIES:
            rows = self.run(key).rows
            counts.append((stage, int(rows[0].get("denominator") or 0) if rows else 0))
        return funnel_chart("funnel", "Leads entering each stage in the period", counts)

    def conversion_by_month(self) -> Chart:
        months, series = self._by_cohort(CONVERSIONS)
        return lines_chart(
            "conversion_trend",
            "Conversion between stages, by month the leads entered",
            months,
            series,
            y_title="share converted",
        )

    def _by_cohort(self, metrics: tuple[tuple[str, str], ...]) -> tuple[list[str], Series]:
        """Each metric's value per month of the filters' period, by cohort month."""
        months = [m.strftime("%Y-%m") for m in self.filters.months]
        series = {}
        for label, key in metrics:
            rows = self.run(key, by="cohort").rows
            by_cohort = {str(r["cohort"])[:7]: r.get("value") for r in rows}
            series[label] = [by_cohort.get(m) for m in months]
        return months, series

    def money_by_month(self) -> Chart:
        months = self.filters.months
        series = {"Pipeline created": [], "Revenue won": []}
        for month in months:
            series["Pipeline created"].append(self._month_value("pipeline_created", month))
            series["Revenue won"].append(self._month_value("revenue_won", month))
        return bars_chart(
            "money_trend",
            "Pipeline created and revenue won, by month",
            [m.strftime("%Y-%m") for m in months],
            series,
            y_title="company currency",
            first_column="month",
        )

    def _month_value(self, key: str, month: object) -> float:
        rows = self.run(key, month=month).rows
        return float(rows[0].get("value") or 0) if rows else 0.0

    def sla_by_month(self) -> Chart:
        months, series = self._by_cohort(SLA_SERIES)
        return lines_chart(
            "sla_trend", "SLA adherence by month, both sides", months, series, y_title="share"
        )

    def attribution(self) -> list[Chart]:
        """Won revenue credited per channel by each model, and spend against it."""
        query = MetricQuery(start=self.filters.first, end=self.filters.end, segment=self.segment)
        roi = roi_compute(self.source.tables, query, by="channel")
        channels = [row.label for row in roi.rows]
        shown = [m for m in CHARTED_MODELS if m in roi.models]
        credit = bars_chart(
            "attribution",
            "Won revenue credited to each channel, by attribution model",
            channels,
            {MODEL_LABELS.get(m, m): [row.revenue.get(m) for row in roi.rows] for m in shown},
            y_title="company currency",
            first_column="channel",
        )
        every = {
            MODEL_LABELS.get(m, m): [row.revenue.get(m) for row in roi.rows] for m in roi.models
        }
        credit = replace(
            credit,
            columns=("channel", *every),
            rows=tuple((c, *(v[i] for v in every.values())) for i, c in enumerate(channels)),
            note="The chart shows six models; the table and CSV hold all of them.",
        )
        spend = bars_chart(
            "roi",
            "Spend and attributed revenue per channel (ROI)",
            channels,
            {
                "Spend": [row.spend for row in roi.rows],
                **{
                    f"Revenue, {MODEL_LABELS[m]}": [row.revenue.get(m) for row in roi.rows]
                    for m in ROI_MODELS
                    if m in roi.models
                },
            },
            y_title="company currency",
            first_column="channel",
        )
        ratios = {
            f"ROI, {MODEL_LABELS.get(m, m)}": [row.roi(m) for row in roi.rows] for m in roi.models
        }
        spend = replace(
            spend,
            columns=(*spend.columns, *ratios),
            rows=tuple(
                (*row, *(v[i] for v in ratios.values())) for i, row in enumerate(spend.rows)
            ),
            note="ROI is attributed won revenue per unit of spend in the same period.",
        )
        return [credit, spend]

    def ledger(self) -> Chart:
        try:
            ledger = ledger_compute(
                self.source.tables,
                start=self.filters.first,
                end=self.filters.end,
                segment=self.segment,
            )
        except (NoTargetError, WaterfallError) as exc:
            return Chart(
                "ledger", "Accountability ledger: target to actual revenue", (), (), note=str(exc)
            )
        steps = [(f"{p.name} ({p.side})", -p.amount) for p in ledger.parts]
        chart = waterfall_chart(
            "ledger",
            "Accountability ledger: target to actual revenue",
            ("Target", ledger.target),
            steps,
            "Actual",
        )
        return replace(
            chart, note=f"Gap {ledger.gap:,.2f}: each step is one factor, in funnel order."
        )
