"""Sales metrics over opportunities: win rate, deal size, cycle, pipeline, velocity, growth.

Every metric here reads one table: the opportunities of the segment asked for,
annotated with the breakdowns (segment, rep, source) and with flags for "closed
in the period" and "created in the period". Conditional aggregates over that
table give every figure in one scan, on any engine.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import ibis
import ibis.expr.types as ir

from accord.metrics.registry import MetricQuery, metric
from accord.metrics.tables import Tables
from accord.months import month_add

NO_SEGMENT = "No segment"
NO_OWNER = "No owner"
SECONDS_PER_DAY = 86_400
OPPORTUNITY_BREAKDOWNS = ("segment", "rep", "source")


def moment(column: ir.Value, day: date) -> ir.Scalar:
    """Midnight UTC of ``day`` as a literal that compares with ``column`` on every engine."""
    at = datetime.combine(day, time())
    if getattr(column.type(), "timezone", None):
        at = at.replace(tzinfo=UTC)
    return ibis.literal(at)


def between(column: ir.Value, start: date, end: date) -> ir.BooleanValue:
    """``start <= column < end`` (false for a missing time)."""
    return ((column >= moment(column, start)) & (column < moment(column, end))).fill_null(False)


def as_int(condition: ir.BooleanValue) -> ir.IntegerValue:
    """1 where ``condition`` holds, else 0 (PostgreSQL cannot cast a boolean to a bigint)."""
    return ibis.ifelse(condition.fill_null(False), 1, 0)


def count_of(condition: ir.BooleanValue) -> ir.IntegerScalar:
    """How many rows ``condition`` holds for (0 for no rows)."""
    return as_int(condition).sum().fill_null(0)


def ratio(numerator: ir.Value, denominator: ir.Value) -> ir.FloatingValue:
    """numerator / denominator as a float, missing when the denominator is zero."""
    return numerator.cast("float64") / denominator.cast("float64").nullif(0.0)


def account_segments(tables: Tables) -> ir.Table:
    """account id → segment name (accounts without one get ``NO_SEGMENT``)."""
    accounts, segments = tables.accounts, tables.segments
    names = segments.select(seg_id=segments.id, segment_name=segments.name)
    joined = accounts.left_join(names, accounts.segment_id == names.seg_id)
    return joined.select(
        seg_account_id=joined.id, segment=joined.segment_name.fill_null(NO_SEGMENT)
    )


def opportunities(tables: Tables, query: MetricQuery) -> ir.Table:
    """The opportunities of ``query.segment`` with their segment, rep and source.

    ``amount`` is the company-currency amount as a float (``amount_exact`` as the
    database holds it, for sums that must be exact); ``source`` is ``marketing`` for
    marketing-sourced opportunities and ``sales`` for the others.
    """
    opps, people = tables.opportunities, tables.people
    reps = people.select(rep_id=people.id, rep_name=people.name)
    segments = account_segments(tables)
    joined = opps.left_join(segments, opps.account_id == segments.seg_account_id)
    joined = joined.left_join(reps, joined.owner_id == reps.rep_id)
    table = joined.select(
        id=joined.id,
        account_id=joined.account_id,
        amount=joined.amount_company.cast("float64").fill_null(0.0),
        amount_exact=joined.amount_company,
        created_at=joined.created_at,
        closed_at=joined.closed_at,
        won=(joined.is_won & joined.is_closed).fill_null(False),
        closed=joined.is_closed.fill_null(False),
        segment=joined.segment.fill_null(NO_SEGMENT),
        rep=joined.rep_name.fill_null(NO_OWNER),
        source=ibis.ifelse(joined.is_marketing_sourced.fill_null(False), "marketing", "sales"),
    )
    if query.segment is not None:
        table = table.filter(table.segment == query.segment)
    return table


def aggregate(table: ir.Table, query: MetricQuery, allowed: tuple[str, ...], **values) -> ir.Table:
    """One row, or one row per group of ``query.by`` (which must be one of ``allowed``)."""
    if query.by is None:
        return table.aggregate(**values)
    if query.by not in allowed:
        raise ValueError(f"cannot break this metric down by {query.by!r} (try: {allowed})")
    return table.group_by(query.by).aggregate(**values)


def _flags(tables: Tables, query: MetricQuery) -> ir.Table:
    opps = opportunities(tables, query)
    closed_in = opps.closed & between(opps.closed_at, query.start, query.end)
    return opps.mutate(
        closed_in=closed_in,
        won_in=closed_in & opps.won,
        created_in=between(opps.created_at, query.start, query.end),
        cycle_days=(opps.closed_at.epoch_seconds() - opps.created_at.epoch_seconds()).cast(
            "float64"
        )
        / SECONDS_PER_DAY,
    )


@metric(
    "win_rate",
    name="Win rate",
    definition="Of the opportunities closed in the period, the share that were won.",
    formula="won opportunities closed in the period / all opportunities closed in the period",
    sides=("sales",),
    unit="ratio",
    breakdowns=OPPORTUNITY_BREAKDOWNS,
)
def win_rate(tables: Tables, query: MetricQuery) -> ir.Table:
    opps = _flags(tables, query)
    counts = aggregate(
        opps,
        query,
        OPPORTUNITY_BREAKDOWNS,
        numerator=count_of(opps.won_in),
        denominator=count_of(opps.closed_in),
    )
    return counts.mutate(value=ratio(counts.numerator, counts.denominator))


@metric(
    "revenue_won",
    name="Won revenue",
    definition="The company-currency amount of the opportunities won and closed in the period.",
    formula="sum of amount (company currency) of won opportunities closed in the period",
    sides=("sales", "marketing"),
    unit="money",
    breakdowns=OPPORTUNITY_BREAKDOWNS,
)
def revenue_won(tables: Tables, query: MetricQuery) -> ir.Table:
    opps = _flags(tables, query)
    return aggregate(
        opps, query, OPPORTUNITY_BREAKDOWNS, value=opps.amount.sum(where=opps.won_in).fill_null(0)
    )


@metric(
    "average_deal_size",
    name="Average deal size",
    definition="What a won deal brings on average: won revenue over the number of deals won.",
    formula="sum of amount of won opportunities closed in the period / their count",
    sides=("sales",),
    unit="money",
    breakdowns=OPPORTUNITY_BREAKDOWNS,
)
def average_deal_size(tables: Tables, query: MetricQuery) -> ir.Table:
    opps = _flags(tables, query)
    sums = aggregate(
        opps,
        query,
        OPPORTUNITY_BREAKDOWNS,
        numerator=opps.amount.sum(where=opps.won_in).fill_null(0),
        denominator=count_of(opps.won_in),
    )
    return sums.mutate(value=ratio(sums.numerator, sums.denominator))


@metric(
    "sales_cycle_days",
    name="Sales cycle (mean days)",
    definition="How long a won deal took on average, from the opportunity's creation to its close.",
    formula="mean of (closed_at - created_at) in days over won opportunities closed in the period",
    sides=("sales",),
    unit="days",
    breakdowns=OPPORTUNITY_BREAKDOWNS,
)
def sales_cycle_days(tables: Tables, query: MetricQuery) -> ir.Table:
    opps = _flags(tables, query)
    return aggregate(
        opps, query, OPPORTUNITY_BREAKDOWNS, value=opps.cycle_days.mean(where=opps.won_in)
    )


@metric(
    "sales_cycle_median_days",
    name="Sales cycle (median days)",
    definition="The middle won deal's time from opportunity creation to close: half took longer.",
    formula="median of (closed_at - created_at) in days, won opportunities closed in the period",
    sides=("sales",),
    unit="days",
    breakdowns=OPPORTUNITY_BREAKDOWNS,
)
def sales_cycle_median_days(tables: Tables, query: MetricQuery) -> ir.Table:
    opps = _flags(tables, query)
    won = opps.filter(opps.won_in)
    return aggregate(won, query, OPPORTUNITY_BREAKDOWNS, value=won.cycle_days.median())


@metric(
    "pipeline_created",
    name="Pipeline created",
    definition="The amount of all opportunities opened in the period, whoever found them.",
    formula="sum of amount (company currency) of opportunities created in the period",
    sides=("sales", "marketing"),
    unit="money",
    breakdowns=OPPORTUNITY_BREAKDOWNS,
)
def pipeline_created(tables: Tables, query: MetricQuery) -> ir.Table:
    opps = _flags(tables, query)
    return aggregate(
        opps,
        query,
        OPPORTUNITY_BREAKDOWNS,
        value=opps.amount.sum(where=opps.created_in).fill_null(0),
        count=count_of(opps.created_in),
    )


@metric(
    "marketing_sourced_pipeline",
    name="Marketing-sourced pipeline",
    definition="The amount of opportunities opened in the period that marketing found.",
    formula="sum of amount of opportunities created in the period marked marketing-sourced",
    sides=("marketing",),
    unit="money",
    breakdowns=("segment", "rep"),
)
def marketing_sourced_pipeline(tables: Tables, query: MetricQuery) -> ir.Table:
    opps = _flags(tables, query)
    sourced = opps.created_in & (opps.source == "marketing")
    return aggregate(
        opps,
        query,
        ("segment", "rep"),
        value=opps.amount.sum(where=sourced).fill_null(0),
        count=count_of(sourced),
    )


def marketing_touches(tables: Tables) -> ir.Table:
    """Touches by marketing: every channel but sales outbound, no sales calls or meetings."""
    touches = tables.touches
    by_sales = (touches.channel == "outbound") | touches.kind.isin(("call", "meeting"))
    return touches.filter(~by_sales.fill_null(False) & touches.account_id.notnull())


@metric(
    "marketing_influenced_pipeline",
    name="Marketing-influenced pipeline",
    definition=(
        "The amount of opportunities opened in the period whose account had at least one "
        "marketing touch in the lookback window (default 365 days) before the opportunity "
        "was created, whoever sourced it."
    ),
    formula=(
        "sum of amount of opportunities created in the period with a marketing touch on the "
        "account in [created_at - lookback_days, created_at)"
    ),
    sides=("marketing",),
    unit="money",
    breakdowns=OPPORTUNITY_BREAKDOWNS,
    defaults={"lookback_days": 365},
)
def marketing_influenced_pipeline(tables: Tables, query: MetricQuery) -> ir.Table:
    opps = _flags(tables, query)
    created = opps.filter(opps.created_in)
    touches = marketing_touches(tables)
    window = ibis.interval(days=int(query.options.get("lookback_days", 365)))  # type: ignore[call-overload]
    hits = created.join(
        touches,
        [
            created.account_id == touches.account_id,
            touches.occurred_at < created.created_at,
            touches.occurred_at >= created.created_at - window,
        ],
    )
    influenced = hits.select(influenced_id=hits.id).distinct()
    marked = created.left_join(influenced, created.id == influenced.influenced_id)
    flag = marked.influenced_id.notnull()
    return aggregate(
        marked,
        query,
        OPPORTUNITY_BREAKDOWNS,
        value=marked.amount.sum(where=flag).fill_null(0),
        count=count_of(flag),
    )


@metric(
    "pipeline_velocity",
    name="Pipeline velocity",
    definition=(
        "Revenue the pipeline turns out per day: opportunities opened in the period times "
        "win rate times average deal size, over the mean sales cycle in days."
    ),
    formula="opportunities created x win rate x average deal size / mean sales cycle days",
    sides=("sales",),
    unit="money",
    breakdowns=OPPORTUNITY_BREAKDOWNS,
)
def pipeline_velocity(tables: Tables, query: MetricQuery) -> ir.Table:
    opps = _flags(tables, query)
    parts = aggregate(
        opps,
        query,
        OPPORTUNITY_BREAKDOWNS,
        created=count_of(opps.created_in),
        won=count_of(opps.won_in),
        closed=count_of(opps.closed_in),
        won_amount=opps.amount.sum(where=opps.won_in).fill_null(0),
        cycle=opps.cycle_days.mean(where=opps.won_in),
    )
    win = ratio(parts.won, parts.closed)
    deal = ratio(parts.won_amount, parts.won)
    return parts.mutate(value=parts.created.cast("float64") * win * deal / parts.cycle.nullif(0))


def _growth(tables: Tables, query: MetricQuery, now: tuple[date, date], then: tuple[date, date]):
    opps = opportunities(tables, query)
    won = opps.won & opps.closed

    def revenue(span: tuple[date, date]) -> ir.Value:
        return opps.amount.sum(where=won & between(opps.closed_at, *span)).fill_null(0)

    sums = aggregate(opps, query, ("segment",), numerator=revenue(now), denominator=revenue(then))
    return sums.mutate(value=ratio(sums.numerator - sums.denominator, sums.denominator))


@metric(
    "revenue_growth_mom",
    name="Revenue growth, month over month",
    definition=(
        "How much more (or less) revenue was won in the period's last month than in the "
        "month before it."
    ),
    formula="(won revenue of the last month - of the month before) / of the month before",
    sides=("sales", "marketing"),
    unit="ratio",
    breakdowns=("segment",),
)
def revenue_growth_mom(tables: Tables, query: MetricQuery) -> ir.Table:
    last = month_add(query.end, -1)
    return _growth(tables, query, (last, query.end), (month_add(last, -1), last))


@metric(
    "revenue_growth_yoy",
    name="Revenue growth, year over year",
    definition=(
        "How much more (or less) revenue was won in the period than in the same months "
        "a year earlier."
    ),
    formula="(won revenue of the period - of the same months a year before) / of those months",
    sides=("sales", "marketing"),
    unit="ratio",
    breakdowns=("segment",),
)
def revenue_growth_yoy(tables: Tables, query: MetricQuery) -> ir.Table:
    year_before = (month_add(query.start, -12), month_add(query.end, -12))
    return _growth(tables, query, (query.start, query.end), year_before)
