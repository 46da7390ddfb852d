"""Sales metrics on a hand-built quarter (Q1 2025), every figure worked out by hand."""

from __future__ import annotations

from datetime import date

import pytest

from accord.metrics.definitions import revenue
from accord.metrics.registry import MetricQuery
from tests.metrics.test_money_tables import IBIS_WARNINGS, at, tables

pytestmark = [pytest.mark.nodb, *IBIS_WARNINGS]

Q1 = {"start": date(2025, 1, 1), "end": date(2025, 4, 1)}
SALES = tables(
    segments=[{"id": 1, "name": "SMB"}, {"id": 2, "name": "Enterprise"}],
    people=[{"id": 1, "name": "Ann"}, {"id": 2, "name": "Bob"}],
    accounts=[
        {"id": 10, "segment_id": 1},
        {"id": 20, "segment_id": 2},
        {"id": 30, "segment_id": 1},
    ],
    opportunities=[
        # won, 41 days, marketing-sourced
        {"id": 101, "account_id": 10, "owner_id": 1, "amount_company": 1000,
         "created_at": at(2024, 12, 1), "closed_at": at(2025, 1, 11),
         "is_won": True, "is_closed": True, "is_marketing_sourced": True},
        # won, 30 days, sales-sourced
        {"id": 102, "account_id": 10, "owner_id": 1, "amount_company": 3000,
         "created_at": at(2025, 1, 5), "closed_at": at(2025, 2, 4),
         "is_won": True, "is_closed": True, "is_marketing_sourced": False},
        # lost
        {"id": 103, "account_id": 20, "owner_id": 2, "amount_company": 5000,
         "created_at": at(2025, 2, 1), "closed_at": at(2025, 3, 1),
         "is_won": False, "is_closed": True, "is_marketing_sourced": True},
        # won, 70 days
        {"id": 104, "account_id": 20, "owner_id": 2, "amount_company": 2000,
         "created_at": at(2025, 1, 10), "closed_at": at(2025, 3, 21),
         "is_won": True, "is_closed": True, "is_marketing_sourced": True},
        # still open
        {"id": 105, "account_id": 30, "owner_id": 1, "amount_company": 4000,
         "created_at": at(2025, 3, 15), "is_won": False, "is_closed": False,
         "is_marketing_sourced": False},
        # closed before the quarter
        {"id": 106, "account_id": 30, "owner_id": 2, "amount_company": 800,
         "created_at": at(2024, 11, 1), "closed_at": at(2024, 12, 20),
         "is_won": True, "is_closed": True, "is_marketing_sourced": False},
        # a year before: Q1 2024
        {"id": 107, "account_id": 10, "owner_id": 1, "amount_company": 4000,
         "created_at": at(2023, 12, 1), "closed_at": at(2024, 2, 10),
         "is_won": True, "is_closed": True, "is_marketing_sourced": False},
    ],
    touches=[
        {"id": 1, "account_id": 20, "channel": "email", "kind": "email_click",
         "occurred_at": at(2024, 12, 15)},
        {"id": 2, "account_id": 30, "channel": "outbound", "kind": "call",
         "occurred_at": at(2025, 3, 1)},
        {"id": 3, "account_id": 10, "channel": "webinar", "kind": "webinar",
         "occurred_at": at(2023, 12, 1)},
    ],
)  # fmt: skip


def run(fn, *, segment: str | None = None, by: str | None = None, **options) -> dict:
    query = MetricQuery(**Q1, segment=segment, by=by, options=options)
    rows = fn(SALES, query).to_pyarrow().to_pylist()
    if by is None:
        (row,) = rows
        return row
    return {row[by]: row["value"] for row in rows}


def test_win_rate_counts_deals_closed_in_the_period() -> None:
    row = run(revenue.win_rate)
    assert (row["numerator"], row["denominator"], row["value"]) == (3, 4, 0.75)


@pytest.mark.parametrize(
    ("by", "expected"),
    [
        ("segment", {"SMB": 1.0, "Enterprise": 0.5}),
        ("rep", {"Ann": 1.0, "Bob": 0.5}),
        ("source", {"marketing": pytest.approx(2 / 3), "sales": 1.0}),
    ],
)
def test_win_rate_by_segment_rep_and_source(by: str, expected: dict) -> None:
    got = {k: v for k, v in run(revenue.win_rate, by=by).items() if v is not None}
    assert got == expected


def test_a_segment_filter_keeps_its_accounts_only() -> None:
    assert run(revenue.win_rate, segment="Enterprise")["value"] == 0.5


def test_an_unknown_breakdown_is_refused() -> None:
    with pytest.raises(ValueError, match="cannot break this metric down by 'campaign'"):
        run(revenue.win_rate, by="campaign")


def test_won_revenue_and_average_deal_size() -> None:
    assert run(revenue.revenue_won)["value"] == 6000.0
    row = run(revenue.average_deal_size)
    assert (row["numerator"], row["denominator"], row["value"]) == (6000.0, 3, 2000.0)


def test_sales_cycle_mean_and_median_in_days() -> None:
    # Won in Q1: 41, 30 and 70 days from creation to close.
    assert run(revenue.sales_cycle_days)["value"] == pytest.approx(47.0)
    assert run(revenue.sales_cycle_median_days)["value"] == pytest.approx(41.0)


def test_pipeline_created_and_marketing_sourced() -> None:
    created = run(revenue.pipeline_created)
    assert (created["value"], created["count"]) == (14000.0, 4)
    sourced = run(revenue.marketing_sourced_pipeline)
    assert (sourced["value"], sourced["count"]) == (7000.0, 2)


def test_marketing_influenced_pipeline_looks_back_a_year_by_default() -> None:
    # Account 20's e-mail click (Dec 15) influenced 103 and 104; the outbound call is
    # sales'; account 10's webinar came 401 days before 102 was created.
    default = run(revenue.marketing_influenced_pipeline)
    assert (default["value"], default["count"]) == (7000.0, 2)
    longer = run(revenue.marketing_influenced_pipeline, lookback_days=500)
    assert (longer["value"], longer["count"]) == (10000.0, 3)


def test_pipeline_velocity() -> None:
    # 4 opportunities x 3/4 won x 2,000 per deal / 47 days.
    assert run(revenue.pipeline_velocity)["value"] == pytest.approx(4 * 0.75 * 2000 / 47)


def test_revenue_growth_month_over_month_and_year_over_year() -> None:
    # March won 2,000, February 3,000; Q1 2025 won 6,000, Q1 2024 4,000.
    assert run(revenue.revenue_growth_mom)["value"] == pytest.approx(-1 / 3)
    assert run(revenue.revenue_growth_yoy)["value"] == pytest.approx(0.5)


def test_month_add_crosses_years() -> None:
    assert revenue.month_add(date(2025, 1, 1), -1) == date(2024, 12, 1)
    assert revenue.month_add(date(2024, 11, 20), 14) == date(2026, 1, 1)
