"""Funnel metrics: stage-to-stage conversion, time in stage, and the lead's way to a deal.

Every lead carries the date it entered each stage (``created_at`` for the
inquiry, then ``mql_at``, ``sal_at``, ``sql_at``, ``opportunity_at``,
``customer_at``). A conversion from stage A to stage B looks at the cohort of
leads that entered A in the period and counts those that reached B or any
later stage (a lead that skipped B still went past it). Breakdowns label each
lead by the month it entered A (``cohort``), its lead source, campaign,
campaign channel, segment (the lead's own, else its account's) or owner.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

import ibis
import ibis.expr.types as ir

from accord.metrics.registry import MetricQuery, metric
from accord.metrics.tables import Tables

# The waterfall in order: (stage, the lead column holding when it was entered).
STAGES: tuple[tuple[str, str], ...] = (
    ("inquiry", "created_at"),
    ("mql", "mql_at"),
    ("sal", "sal_at"),
    ("sql", "sql_at"),
    ("opportunity", "opportunity_at"),
    ("customer", "customer_at"),
)
STAGE_NAMES = {
    "inquiry": "Inquiry",
    "mql": "MQL",
    "sal": "SAL",
    "sql": "SQL",
    "opportunity": "Opportunity",
    "customer": "Customer",
}
LEAD_BREAKDOWNS = ("cohort", "source", "campaign", "channel", "segment", "rep")
NONE_LABEL = "(none)"
SECONDS_PER_DAY = 86_400


# -- helpers every lead metric shares ---------------------------------------------------


def instant(day: date) -> ir.TimestampScalar:
    """Midnight UTC of ``day`` as a timestamp literal every engine compares the same way."""
    return ibis.timestamp(datetime(day.year, day.month, day.day, tzinfo=UTC))


def in_period(column: ir.TimestampValue, query: MetricQuery) -> ir.BooleanValue:
    return (column >= instant(query.start)) & (column < instant(query.end))


def _label(value: ir.StringValue) -> ir.StringValue:
    return value.nullif("").fill_null(NONE_LABEL)


def _with_segment(leads: ir.Table, tables: Tables) -> ir.Table:
    """Add ``segment``: the lead's own segment, else its account's."""
    accounts = tables.accounts.select(_account=ibis._.id, _account_segment=ibis._.segment_id)
    segments = tables.segments.select(_segment=ibis._.id, _segment_name=ibis._.name)
    joined = leads.left_join(accounts, leads.account_id == accounts._account)
    joined = joined.mutate(_segment_id=joined.segment_id.fill_null(joined._account_segment))
    joined = joined.left_join(segments, joined._segment_id == segments._segment)
    return joined.mutate(segment=_label(joined._segment_name))


def _with_campaign(leads: ir.Table, tables: Tables) -> ir.Table:
    campaigns = tables.campaigns.select(
        _campaign=ibis._.id, _campaign_name=ibis._.name, _channel=ibis._.channel
    )
    joined = leads.left_join(campaigns, leads.campaign_id == campaigns._campaign)
    return joined.mutate(campaign=_label(joined._campaign_name), channel=_label(joined._channel))


def _with_rep(leads: ir.Table, tables: Tables) -> ir.Table:
    people = tables.people.select(_person=ibis._.id, _rep=ibis._.name)
    joined = leads.left_join(people, leads.owner_id == people._person)
    return joined.mutate(rep=_label(joined._rep))


def leads_labelled(tables: Tables, query: MetricQuery) -> ir.Table:
    """Leads limited to the query's segment, with the label its breakdown needs.

    Only the joins the query needs are made: each one costs compile time.
    """
    leads = tables.leads
    if query.segment is not None or query.by == "segment":
        leads = _with_segment(leads, tables)
        if query.segment is not None:
            leads = leads.filter(leads.segment == query.segment)
    if query.by in ("campaign", "channel"):
        leads = _with_campaign(leads, tables)
    elif query.by == "rep":
        leads = _with_rep(leads, tables)
    elif query.by == "source":
        leads = leads.mutate(source=_label(leads.lead_source))
    return leads


def month_of(column: ir.TimestampValue) -> ir.DateValue:
    return column.truncate("M").date()


def group_keys(table: ir.Table, query: MetricQuery, entered: str) -> dict[str, ir.Value]:
    """The breakdown column named ``query.by`` (nothing when ungrouped)."""
    if query.by is None:
        return {}
    if query.by == "cohort":
        return {"cohort": month_of(table[entered])}
    return {query.by: table[query.by]}


def ratio(numerator: ir.NumericValue, denominator: ir.NumericValue) -> ir.FloatingValue:
    """numerator / denominator as a float, NULL when there is nothing to divide by."""
    return ibis.ifelse(
        denominator > 0, numerator.cast("float64") / denominator.cast("float64"), ibis.null()
    ).cast("float64")


def flag(condition: ir.BooleanValue) -> ir.IntegerValue:
    """1 where ``condition`` holds, else 0 (PostgreSQL will not cast a boolean to a number)."""
    return ibis.ifelse(condition.fill_null(False), 1, 0).cast("int64")


def share(
    table: ir.Table, keys: dict[str, ir.Value], hit: ir.BooleanValue, *, whole: str = "leads"
) -> ir.Table:
    """Per group: how many rows (``whole``), how many ``hit``, and the share that hit."""
    counted = table.mutate(_hit=flag(hit), **keys)
    names = list(keys)
    summary = counted.aggregate(
        by=names, numerator=counted._hit.sum().fill_null(0), denominator=counted.count()
    )
    return summary.mutate(value=ratio(summary.numerator, summary.denominator)).select(
        *names, "value", "numerator", "denominator"
    )


def seconds_between(start: ir.TimestampValue, end: ir.TimestampValue) -> ir.IntegerValue:
    return end.epoch_seconds().cast("int64") - start.epoch_seconds().cast("int64")


def median_and_mean(table: ir.Table, names: list[str], column: str) -> ir.Table:
    """Median (the middle value, or the mean of the middle two) and mean of ``column`` by group.

    Counted with row numbers rather than a median function so every engine
    gives the exact same answer.
    """
    window = ibis.window(group_by=names or None, order_by=table[column])
    ranked = table.mutate(
        _rank=ibis.row_number().over(window),
        _n=table[column].count().over(ibis.window(group_by=names or None)),
    )
    middle = (ranked._rank * 2 >= ranked._n - 2) & (ranked._rank * 2 <= ranked._n)
    summary = ranked.aggregate(
        by=names,
        value=ranked[column].mean(where=middle).cast("float64"),
        mean=ranked[column].mean().cast("float64"),
        leads=ranked.count(),
    )
    return summary.select(*names, "value", "mean", "leads")


# -- conversion -------------------------------------------------------------------------


def reached(table: ir.Table, stage: str) -> ir.BooleanValue:
    """The lead reached ``stage`` or any later one."""
    later = [column for name, column in STAGES[_position(stage) :]]
    return ibis.coalesce(*[table[c] for c in later]).notnull()


def _position(stage: str) -> int:
    return [name for name, _ in STAGES].index(stage)


def conversion(tables: Tables, query: MetricQuery, frm: str, to: str) -> ir.Table:
    """The share of the leads that entered ``frm`` in the period and got to ``to``."""
    entered = dict(STAGES)[frm]
    leads = leads_labelled(tables, query)
    cohort = leads.filter(in_period(leads[entered], query))
    return share(cohort, group_keys(cohort, query, entered), reached(cohort, to))


def _register_conversion(frm: str, to: str, sides: tuple[str, ...], words: str) -> None:
    a, b = STAGE_NAMES[frm], STAGE_NAMES[to]

    def compute(tables: Tables, query: MetricQuery) -> ir.Table:
        return conversion(tables, query, frm, to)

    metric(
        f"conversion_{frm}_to_{to}",
        name=f"{a} → {b} conversion",
        definition=(
            f"Of the leads that entered the {a} stage in the period, the share that reached "
            f"{b} or a later stage by the data time. {words}"
        ),
        formula=f"leads entering {a} in the period that reached {b} / leads entering {a}",
        sides=sides,  # type: ignore[arg-type]
        unit="ratio",
        breakdowns=LEAD_BREAKDOWNS,
    )(compute)


_register_conversion(
    "inquiry", "mql", ("marketing",), "How well marketing turns interest into leads worth a call."
)
_register_conversion(
    "mql", "sal", ("marketing", "sales"), "The hand-off: leads sales agreed to work."
)
_register_conversion("sal", "sql", ("sales",), "Accepted leads that sales qualified.")
_register_conversion(
    "sql", "opportunity", ("sales",), "Qualified leads that became a deal in play."
)
_register_conversion("opportunity", "customer", ("sales",), "Lead-born deals that were won.")
_register_conversion(
    "mql", "customer", ("marketing", "sales"), "The lead funnel from hand-off to customer."
)
_register_conversion(
    "inquiry",
    "customer",
    ("marketing", "sales"),
    "The whole waterfall, first interest to customer.",
)


# -- time in stage ----------------------------------------------------------------------


def stage_times(tables: Tables, query: MetricQuery, frm: str, to: str) -> ir.Table:
    """Days from entering ``frm`` to entering ``to``, over leads entering ``to`` in the period."""
    start, end = dict(STAGES)[frm], dict(STAGES)[to]
    leads = leads_labelled(tables, query)
    moved = leads.filter(leads[start].notnull(), in_period(leads[end], query))
    keys = group_keys(moved, query, start)
    days = seconds_between(moved[start], moved[end]) / SECONDS_PER_DAY
    return median_and_mean(moved.mutate(_days=days, **keys), list(keys), "_days")


def _register_stage_time(frm: str, to: str, key: str, sides: tuple[str, ...]) -> None:
    a, b = STAGE_NAMES[frm], STAGE_NAMES[to]

    def compute(tables: Tables, query: MetricQuery) -> ir.Table:
        return stage_times(tables, query, frm, to)

    metric(
        key,
        name=f"Days from {a} to {b}",
        definition=(
            f"The median number of days leads took from {a} to {b}, over the leads that "
            f"entered {b} in the period (the mean is given beside it)."
        ),
        formula=f"median({b} date - {a} date) over leads entering {b} in the period",
        sides=sides,  # type: ignore[arg-type]
        unit="days",
        breakdowns=LEAD_BREAKDOWNS,
    )(compute)


_register_stage_time("inquiry", "mql", "days_in_inquiry", ("marketing",))
_register_stage_time("mql", "sal", "days_in_mql", ("marketing", "sales"))
_register_stage_time("sal", "sql", "days_in_sal", ("sales",))
_register_stage_time("sql", "opportunity", "days_in_sql", ("sales",))
_register_stage_time("opportunity", "customer", "days_in_opportunity", ("sales",))
_register_stage_time("mql", "customer", "days_mql_to_customer", ("marketing", "sales"))


# -- response time and conversion -------------------------------------------------------


def response_groups(
    tables: Tables, query: MetricQuery
) -> tuple[ir.Table, Callable[[ir.Table], ir.BooleanValue]]:
    """MQLs of the period that were contacted, and a test for "contacted within the window"."""
    leads = leads_labelled(tables, query)
    contacted = leads.filter(in_period(leads.mql_at, query), leads.first_contact_at.notnull())
    window = float(query.option("within_hours")) * 3600  # type: ignore[arg-type]

    def fast(table: ir.Table) -> ir.BooleanValue:
        return seconds_between(table.mql_at, table.first_contact_at) <= window

    return contacted, fast


def response_conversion(tables: Tables, query: MetricQuery, to: str, quick: bool) -> ir.Table:
    contacted, fast = response_groups(tables, query)
    group = contacted.filter(fast(contacted) if quick else ~fast(contacted))
    return share(group, group_keys(group, query, "mql_at"), reached(group, to))


RESPONSE_DEFAULTS = {"within_hours": 1}


def _register_response(to: str, quick: bool) -> None:
    b = STAGE_NAMES[to]
    when = "within" if quick else "later than"
    key = f"conversion_to_{to}_contacted_{'fast' if quick else 'late'}"

    def compute(tables: Tables, query: MetricQuery) -> ir.Table:
        return response_conversion(tables, query, to, quick)

    metric(
        key,
        name=f"{b} rate when contacted {'fast' if quick else 'late'}",
        definition=(
            f"Of the MQLs of the period that sales contacted {when} the agreed window "
            f"(one hour unless signed otherwise) after they became MQLs, the share that "
            f"reached {b}. Compare with the other group to see what speed is worth."
        ),
        formula=(
            f"MQLs first contacted {when} within_hours of MQL that reached {b} ÷ MQLs in that group"
        ),
        sides=("sales",),
        unit="ratio",
        breakdowns=LEAD_BREAKDOWNS,
        defaults=RESPONSE_DEFAULTS,
    )(compute)


for _to in ("sql", "opportunity"):
    for _quick in (True, False):
        _register_response(_to, _quick)


@metric(
    "response_speed_lift",
    name="How much more often fast-contacted MQLs qualify",
    definition=(
        "The SQL rate of MQLs contacted within the agreed window divided by the SQL rate "
        "of those contacted later. Above 1 means speed pays; the research's headline finding."
    ),
    formula="SQL rate (contacted fast) ÷ SQL rate (contacted late)",
    sides=("sales",),
    unit="multiple",
    breakdowns=LEAD_BREAKDOWNS,
    defaults=RESPONSE_DEFAULTS,
)
def response_speed_lift(tables: Tables, query: MetricQuery) -> ir.Table:
    contacted, fast = response_groups(tables, query)
    keys = group_keys(contacted, query, "mql_at")
    marked = contacted.mutate(
        _fast=flag(fast(contacted)), _won=flag(reached(contacted, "sql")), **keys
    )
    names = list(keys)
    counts = marked.aggregate(
        by=names,
        fast_leads=marked._fast.sum().fill_null(0),
        fast_sql=(marked._fast * marked._won).sum().fill_null(0),
        late_leads=(1 - marked._fast).sum().fill_null(0),
        late_sql=((1 - marked._fast) * marked._won).sum().fill_null(0),
    )
    fast_rate = ratio(counts.fast_sql, counts.fast_leads)
    late_rate = ratio(counts.late_sql, counts.late_leads)
    lift = ibis.ifelse(late_rate > 0, fast_rate / late_rate, ibis.null()).cast("float64")
    return counts.mutate(value=lift, fast_rate=fast_rate, late_rate=late_rate).select(
        *names, "value", "fast_rate", "late_rate", "fast_leads", "late_leads"
    )
