"""Cost of sales, marketing cost, new customers, CAC, payback and CLV on hand-built data.

The period is Q1 2025, so "the last twelve months" are April 2024 - March 2025 and
"the year before" April 2023 - March 2024.
"""

from __future__ import annotations

from datetime import date

import pytest

from accord.metrics.definitions import money
from accord.metrics.registry import MetricQuery
from tests.metrics.test_money_tables import IBIS_WARNINGS, at, tables

pytestmark = [pytest.mark.nodb, *IBIS_WARNINGS]

Q1 = {"start": date(2025, 1, 1), "end": date(2025, 4, 1)}


def won(pk: int, account: int, amount: int, closed: tuple[int, int, int]) -> dict[str, object]:
    return {
        "id": pk,
        "account_id": account,
        "amount_company": amount,
        "created_at": at(closed[0] - 1, 1, 1),
        "closed_at": at(*closed),
        "is_won": True,
        "is_closed": True,
    }


DATA = tables(
    segments=[{"id": 1, "name": "SMB"}, {"id": 2, "name": "Enterprise"}],
    accounts=[
        {"id": 10, "segment_id": 1},
        {"id": 20, "segment_id": 2},
        {"id": 30, "segment_id": 1},
        {"id": 40, "segment_id": 2},
    ],
    opportunities=[
        won(1, 10, 1000, (2023, 6, 10)),  # 10: a customer the year before and this year
        won(2, 10, 2000, (2024, 10, 1)),
        won(3, 20, 6000, (2025, 2, 1)),  # 20: new in Q1
        won(4, 30, 500, (2023, 9, 1)),  # 30: bought the year before, nothing since
        won(5, 40, 4000, (2025, 3, 10)),  # 40: new in Q1
        {"id": 6, "account_id": 40, "amount_company": 900, "created_at": at(2025, 1, 2),
         "closed_at": at(2025, 1, 15), "is_won": False, "is_closed": True},
    ],
    sales_costs=[
        {"id": 1, "month": date(2025, 1, 1), "kind": "salaries", "amount": 3000},
        {"id": 2, "month": date(2025, 2, 1), "segment_id": 2, "kind": "commission",
         "amount": 1000},
        {"id": 3, "month": date(2025, 3, 1), "segment_id": 1, "kind": "tools", "amount": 500},
        {"id": 4, "month": date(2024, 12, 1), "kind": "salaries", "amount": 9999},
    ],
    campaigns=[
        {"id": 7, "name": "Webinar series", "channel": "webinar", "segment_id": 2},
        {"id": 8, "name": "Ads", "channel": "paid_social", "segment_id": 1},
    ],
    spend=[
        {"id": 1, "campaign_id": 7, "channel": "webinar", "period_start": date(2025, 1, 1),
         "period_end": date(2025, 1, 31), "amount_company": 1200},
        {"id": 2, "channel": "paid_search", "period_start": date(2025, 2, 1),
         "period_end": date(2025, 2, 28), "amount_company": 300},
        {"id": 3, "campaign_id": 8, "channel": "paid_social", "period_start": date(2025, 3, 1),
         "period_end": date(2025, 3, 31), "amount_company": 1000},
        {"id": 4, "campaign_id": 8, "channel": "paid_social", "period_start": date(2025, 4, 1),
         "period_end": date(2025, 4, 30), "amount_company": 5000},
    ],
)  # fmt: skip


def run(fn, *, segment: str | None = None, by: str | None = None, **options) -> dict:
    query = MetricQuery(**Q1, segment=segment, by=by, options=options)
    rows = fn(DATA, query).to_pyarrow().to_pylist()
    if by is None:
        (row,) = rows
        return row
    return {row[by]: row["value"] for row in rows}


def test_cost_of_sales_counts_the_months_of_the_period() -> None:
    assert run(money.cost_of_sales)["value"] == 4500.0
    assert run(money.cost_of_sales, by="kind") == {
        "salaries": 3000.0,
        "commission": 1000.0,
        "tools": 500.0,
    }
    # The company-wide salaries belong to no segment.
    assert run(money.cost_of_sales, segment="SMB")["value"] == 500.0


def test_marketing_cost_counts_spend_starting_in_the_period() -> None:
    assert run(money.marketing_cost)["value"] == 2500.0
    assert run(money.marketing_cost, by="channel") == {
        "webinar": 1200.0,
        "paid_search": 300.0,
        "paid_social": 1000.0,
    }
    assert run(money.marketing_cost, by="campaign")["No campaign"] == 300.0


def test_new_customers_are_accounts_whose_first_win_is_in_the_period() -> None:
    assert run(money.new_customers)["value"] == 2
    assert run(money.new_customers, by="segment") == {"SMB": 0, "Enterprise": 2}


def test_cac_is_both_costs_over_new_customers() -> None:
    row = run(money.cac)
    assert (row["sales_cost"], row["marketing_cost"], row["new_customers"]) == (4500, 2500, 2)
    assert row["value"] == 3500.0
    # Enterprise: 1,000 commission + 1,200 webinars over 2; SMB won no new customer; the
    # company-wide salaries and search ads show as their own row, with no customer.
    assert run(money.cac, by="segment") == {"Enterprise": 1100.0, "SMB": None, "No segment": None}


def test_cac_payback_in_months_of_margin() -> None:
    # Last 12 months: 12,000 from 3 customers = 4,000 a year, 333.33 a month, 250 at 75%.
    assert run(money.cac_payback_months)["value"] == pytest.approx(3500 / 250)
    assert run(money.cac_payback_months, margin=0.5)["value"] == pytest.approx(3500 / (1000 / 6))


def test_clv_from_revenue_per_customer_margin_and_churn() -> None:
    row = run(money.clv)
    # Of 2 customers the year before (10, 30) one bought nothing since: churn 1/2, 2 years.
    assert (row["churn"], row["lifetime_years"]) == (0.5, 2.0)
    assert row["value"] == pytest.approx(4000 * 0.75 * 2)
    assert run(money.clv, max_lifetime_years=1.5)["value"] == pytest.approx(4000 * 0.75 * 1.5)


def test_clv_per_segment_needs_customers_the_year_before() -> None:
    # SMB: account 10 brought 2,000 this year; Enterprise had no customer the year before.
    assert run(money.clv, by="segment") == {"SMB": pytest.approx(3000.0), "Enterprise": None}
