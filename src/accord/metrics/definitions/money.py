"""What winning customers costs and what a customer is worth: cost of sales, CAC, payback, CLV.

Costs come from two tables: marketing's spend (``crm.Spend``, counted in the
month its period starts) and the cost of selling (``metrics.SalesCost``:
salaries, commission, tools per month). A cost booked without a segment
belongs to the whole company: it counts in company figures and in no
segment's. A new customer is an account whose first won deal closed in the
period; customer value uses the twelve months before the period ends.
"""

from __future__ import annotations

from datetime import date

import ibis
import ibis.expr.types as ir

from accord.metrics.definitions.revenue import (
    NO_SEGMENT,
    aggregate,
    as_int,
    between,
    month_add,
    opportunities,
    ratio,
)
from accord.metrics.registry import MetricQuery, metric
from accord.metrics.tables import Tables

NO_CAMPAIGN = "No campaign"
DEFAULT_MARGIN = 0.75
DEFAULT_MAX_LIFETIME_YEARS = 5.0


def in_months(column: ir.Value, start: date, end: date) -> ir.BooleanValue:
    """A date column inside ``[start, end)``."""
    return ((column >= ibis.literal(start)) & (column < ibis.literal(end))).fill_null(False)


def _segment_names(tables: Tables) -> ir.Table:
    segments = tables.segments
    return segments.select(name_id=segments.id, segment_name=segments.name)


def sales_costs(tables: Tables, query: MetricQuery) -> ir.Table:
    """The period's sales costs with ``segment`` and ``kind`` (and ``amount`` as a float)."""
    costs = tables.sales_costs
    costs = costs.filter(in_months(costs.month, query.start, query.end))
    names = _segment_names(tables)
    joined = costs.left_join(names, costs.segment_id == names.name_id)
    table = joined.select(
        segment=joined.segment_name.fill_null(NO_SEGMENT),
        kind=joined.kind,
        amount=joined.amount.cast("float64"),
    )
    return table if query.segment is None else table.filter(table.segment == query.segment)


def marketing_spend(tables: Tables, query: MetricQuery) -> ir.Table:
    """The spend whose period starts in the query period, with channel, campaign and segment."""
    spend, campaigns = tables.spend, tables.campaigns
    spend = spend.filter(in_months(spend.period_start, query.start, query.end))
    names = _segment_names(tables)
    named = campaigns.left_join(names, campaigns.segment_id == names.name_id)
    named = named.select(
        camp_id=named.id, campaign_name=named.name, camp_segment=named.segment_name
    )
    joined = spend.left_join(named, spend.campaign_id == named.camp_id)
    table = joined.select(
        channel=joined.channel,
        campaign=joined.campaign_name.fill_null(NO_CAMPAIGN),
        segment=joined.camp_segment.fill_null(NO_SEGMENT),
        amount=joined.amount_company.cast("float64"),
    )
    return table if query.segment is None else table.filter(table.segment == query.segment)


@metric(
    "cost_of_sales",
    name="Cost of sales",
    definition=(
        "What selling cost in the period: salaries, commission, tools and other costs of the "
        "sales teams, as entered or imported per month."
    ),
    formula="sum of sales costs of the months in the period",
    sides=("sales",),
    unit="money",
    breakdowns=("segment", "kind"),
)
def cost_of_sales(tables: Tables, query: MetricQuery) -> ir.Table:
    costs = sales_costs(tables, query)
    return aggregate(costs, query, ("segment", "kind"), value=costs.amount.sum().fill_null(0.0))


@metric(
    "marketing_cost",
    name="Marketing cost",
    definition="What marketing spent in the period (spend counted in the month its period starts).",
    formula="sum of spend amount (company currency) whose period starts in the period",
    sides=("marketing",),
    unit="money",
    breakdowns=("segment", "channel", "campaign"),
)
def marketing_cost(tables: Tables, query: MetricQuery) -> ir.Table:
    spend = marketing_spend(tables, query)
    return aggregate(
        spend, query, ("segment", "channel", "campaign"), value=spend.amount.sum().fill_null(0.0)
    )


def customers(tables: Tables, query: MetricQuery) -> ir.Table:
    """One row per account that ever won a deal: when first, and its last two years of revenue."""
    opps = opportunities(tables, query)
    won = opps.filter(opps.won & opps.closed)
    year_ago, two_years_ago = month_add(query.end, -12), month_add(query.end, -24)
    this_year = between(won.closed_at, year_ago, query.end)
    last_year = between(won.closed_at, two_years_ago, year_ago)
    per_account = won.group_by(["account_id", "segment"]).aggregate(
        first_won_at=won.closed_at.min(),
        revenue_year=won.amount.sum(where=this_year).fill_null(0.0),
        active_now=as_int(this_year).max(),
        active_before=as_int(last_year).max(),
    )
    return per_account.mutate(new=as_int(between(per_account.first_won_at, query.start, query.end)))


@metric(
    "new_customers",
    name="New customers",
    definition="Accounts whose first won deal closed in the period.",
    formula="count of accounts whose earliest won opportunity closed in the period",
    sides=("sales", "marketing"),
    unit="count",
    breakdowns=("segment",),
)
def new_customers(tables: Tables, query: MetricQuery) -> ir.Table:
    accounts = customers(tables, query)
    return aggregate(accounts, query, ("segment",), value=accounts.new.sum().fill_null(0))


def _acquisition(tables: Tables, query: MetricQuery) -> ir.Table:
    """Sales cost, marketing cost and new customers side by side (per segment when asked)."""
    keys = [query.by] if query.by else []
    if query.by not in (None, "segment"):
        raise ValueError(f"cannot break this metric down by {query.by!r} (try: ('segment',))")
    zero = ibis.literal(0.0)
    costs, spend, accounts = (
        sales_costs(tables, query),
        marketing_spend(tables, query),
        customers(tables, query),
    )
    stacked = ibis.union(
        costs.select(*keys, sales=costs.amount, marketing=zero, new=zero),
        spend.select(*keys, sales=zero, marketing=spend.amount, new=zero),
        accounts.select(*keys, sales=zero, marketing=zero, new=accounts.new.cast("float64")),
    )
    return aggregate(
        stacked,
        query,
        ("segment",),
        sales_cost=stacked.sales.sum().fill_null(0.0),
        marketing_cost=stacked.marketing.sum().fill_null(0.0),
        new_customers=stacked.new.sum().fill_null(0.0),
    )


@metric(
    "cac",
    name="Customer acquisition cost (CAC)",
    definition=(
        "What one new customer cost: the period's sales and marketing cost over the accounts "
        "that became customers in it."
    ),
    formula="(cost of sales + marketing cost) / new customers",
    sides=("sales", "marketing"),
    unit="money",
    breakdowns=("segment",),
)
def cac(tables: Tables, query: MetricQuery) -> ir.Table:
    parts = _acquisition(tables, query)
    total = parts.sales_cost + parts.marketing_cost
    return parts.mutate(
        numerator=total, denominator=parts.new_customers, value=ratio(total, parts.new_customers)
    )


def _customer_value(tables: Tables, query: MetricQuery) -> ir.Table:
    accounts = customers(tables, query)
    return aggregate(
        accounts,
        query,
        ("segment",),
        customers_now=accounts.active_now.sum().fill_null(0),
        revenue_year=accounts.revenue_year.sum().fill_null(0.0),
        customers_before=accounts.active_before.sum().fill_null(0),
        churned=(accounts.active_before * (1 - accounts.active_now)).sum().fill_null(0),
    )


@metric(
    "cac_payback_months",
    name="CAC payback",
    definition=(
        "Months of gross margin a customer needs to repay what winning them cost: CAC over "
        "the average monthly revenue per customer (last twelve months) times the gross margin "
        "(a parameter, 75% unless signed otherwise)."
    ),
    formula="CAC / (revenue of the last 12 months / customers in them / 12 x margin)",
    sides=("sales", "marketing"),
    unit="months",
    breakdowns=("segment",),
    defaults={"margin": DEFAULT_MARGIN},
)
def cac_payback_months(tables: Tables, query: MetricQuery) -> ir.Table:
    margin = float(query.options.get("margin", DEFAULT_MARGIN))  # type: ignore[arg-type]
    cost = cac(tables, query)
    value = _customer_value(tables, query)
    joined = _side_by_side(cost, value, query)
    monthly = ratio(joined.revenue_year, joined.customers_now) / 12 * margin
    return joined.mutate(value=joined.value / monthly.nullif(0.0))


def _side_by_side(left: ir.Table, right: ir.Table, query: MetricQuery) -> ir.Table:
    if query.by is None:
        return left.cross_join(right)
    right = right.rename(other_key=query.by)
    joined = left.left_join(right, left[query.by] == right.other_key)
    return joined.drop("other_key")


@metric(
    "clv",
    name="Customer lifetime value (CLV)",
    definition=(
        "What a customer brings over their life with us: average revenue per customer per "
        "year (last twelve months) times gross margin (75% by default) times the expected "
        "lifetime in years, 1 / yearly churn, capped (5 years by default). Yearly churn is the "
        "share of the customers who won a deal with us in the year before last that won none "
        "in the last twelve months."
    ),
    formula="revenue per customer per year x margin x min(1 / churn, cap)",
    sides=("sales", "marketing"),
    unit="money",
    breakdowns=("segment",),
    defaults={"margin": DEFAULT_MARGIN, "max_lifetime_years": DEFAULT_MAX_LIFETIME_YEARS},
)
def clv(tables: Tables, query: MetricQuery) -> ir.Table:
    margin = float(query.options.get("margin", DEFAULT_MARGIN))  # type: ignore[arg-type]
    cap = float(query.options.get("max_lifetime_years", DEFAULT_MAX_LIFETIME_YEARS))  # type: ignore[arg-type]
    value = _customer_value(tables, query)
    churn = ratio(value.churned, value.customers_before)
    lifetime = ibis.ifelse(
        value.churned == 0, ibis.literal(cap), ibis.least(1.0 / churn.nullif(0.0), cap)
    )
    lifetime = ibis.ifelse(value.customers_before == 0, ibis.null("float64"), lifetime)
    yearly = ratio(value.revenue_year, value.customers_now)
    return value.mutate(churn=churn, lifetime_years=lifetime, value=yearly * margin * lifetime)
