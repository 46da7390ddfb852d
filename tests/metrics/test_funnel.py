"""Funnel and SLA metrics on the small company of ``dataset.py``, with answers worked by hand."""

from __future__ import annotations

from dataclasses import replace
from types import MappingProxyType

import pytest

from accord.metrics.gateway import Source, metric_rows
from accord.metrics.registry import MetricQuery, metric_get
from tests.metrics.dataset import Q1

pytestmark = pytest.mark.nodb


@pytest.fixture
def rows(duckdb_source: Source):
    def compute(key: str, query: MetricQuery = Q1, **options: object) -> list[dict[str, object]]:
        mdef = metric_get(key)
        merged = MappingProxyType({**mdef.defaults, **options})
        return metric_rows(mdef, duckdb_source, replace(query, options=merged))

    return compute


def values(rows: list[dict[str, object]], label: str) -> dict[object, tuple[int, int]]:
    return {r[label]: (r["numerator"], r["denominator"]) for r in rows}


@pytest.mark.parametrize(
    ("key", "numerator", "denominator"),
    [
        ("conversion_inquiry_to_mql", 5, 6),  # L1 L2 L3 L4 L7 of L1-L5, L7
        ("conversion_mql_to_sal", 4, 6),  # L1 L2 L4 L6 of L1-L4, L6, L7
        ("conversion_sal_to_sql", 3, 4),  # L1 L2 L6 of L1 L2 L4 L6
        ("conversion_sql_to_opportunity", 2, 3),  # L1 L6 of L1 L2 L6
        ("conversion_opportunity_to_customer", 1, 2),  # L1 of L1 L6
        ("conversion_mql_to_customer", 1, 6),
        ("conversion_inquiry_to_customer", 1, 6),
    ],
)
def test_conversion_between_stages(rows, key: str, numerator: int, denominator: int) -> None:
    assert rows(key) == [
        {
            "value": pytest.approx(numerator / denominator),
            "numerator": numerator,
            "denominator": denominator,
        }
    ]


@pytest.mark.parametrize(
    ("by", "expected"),
    [
        ("source", {"(none)": (0, 1), "Event": (1, 2), "Web": (3, 3)}),
        ("segment", {"Enterprise": (1, 2), "SMB": (3, 4)}),  # L3 is SMB by its own segment
        ("campaign", {"(none)": (1, 1), "Search": (1, 2), "Webinar": (2, 3)}),
        ("channel", {"(none)": (1, 1), "paid_search": (1, 2), "webinar": (2, 3)}),
        ("rep", {"Ann Rep": (2, 3), "Bob Rep": (2, 3)}),
        ("cohort", {"2024-01-01": (3, 3), "2024-02-01": (1, 2), "2024-03-01": (0, 1)}),
    ],
)
def test_mql_to_sal_breakdowns(rows, by: str, expected: dict[str, tuple[int, int]]) -> None:
    result = rows("conversion_mql_to_sal", replace(Q1, by=by))
    assert values(result, by) == expected
    assert [r[by] for r in result] == sorted(expected)


def test_cohort_is_the_month_of_entry_into_the_earlier_stage(rows) -> None:
    result = rows("conversion_inquiry_to_mql", replace(Q1, by="cohort"))
    assert values(result, "cohort") == {
        "2024-01-01": (2, 2),
        "2024-02-01": (2, 2),
        "2024-03-01": (1, 2),
    }


def test_a_segment_limits_the_leads(rows) -> None:
    assert rows("conversion_mql_to_sal", replace(Q1, segment="SMB"))[0]["denominator"] == 4
    assert rows("conversion_mql_to_sal", replace(Q1, segment="Nowhere")) == [
        {"value": None, "numerator": 0, "denominator": 0}
    ]


@pytest.mark.parametrize(
    ("key", "median", "mean", "leads"),
    [
        # 1, 1, 1, 1 1/3, 1 5/12, 16 5/12 days (L6 was an inquiry since December 20)
        ("days_in_inquiry", (1 + 4 / 3) / 2, (4 + 1 / 3 + 17 / 12 + 197 / 12) / 6, 6),
        ("days_in_mql", 1 / 24, (3 / 24 + 1) / 4, 4),  # one hour thrice, one day once
        ("days_in_sal", 47 / 24, (47 / 24 + 2 + 13 / 24) / 3, 3),
        ("days_in_sql", 15.5, 15.5, 2),  # 5 and 26 days
        ("days_in_opportunity", 30, 30, 1),
        ("days_mql_to_customer", 37, 37, 1),
    ],
)
def test_time_in_stage(rows, key: str, median: float, mean: float, leads: int) -> None:
    assert rows(key) == [
        {"value": pytest.approx(median), "mean": pytest.approx(mean), "leads": leads}
    ]


def test_time_in_stage_by_rep(rows) -> None:
    result = rows("days_in_sal", replace(Q1, by="rep"))
    assert [(r["rep"], r["value"], r["leads"]) for r in result] == [
        ("Ann Rep", pytest.approx((47 / 24 + 13 / 24) / 2), 2),
        ("Bob Rep", pytest.approx(2.0), 1),
    ]


def test_response_time_splits_contacted_mqls_at_one_hour(rows) -> None:
    # Contacted: L1 (30 min), L4 (45 min), L6 (20 min) fast; L2 (5 hours) late.
    fast_sql = rows("conversion_to_sql_contacted_fast")[0]
    assert (fast_sql["numerator"], fast_sql["denominator"]) == (2, 3)
    late_sql = rows("conversion_to_sql_contacted_late")[0]
    assert (late_sql["numerator"], late_sql["denominator"]) == (1, 1)
    assert rows("conversion_to_opportunity_contacted_fast")[0]["numerator"] == 2
    assert rows("conversion_to_opportunity_contacted_late")[0]["value"] == 0.0
    lift = rows("response_speed_lift")[0]
    assert lift["value"] == pytest.approx((2 / 3) / 1)
    assert (lift["fast_leads"], lift["late_leads"]) == (3, 1)


def test_the_response_window_is_a_parameter(rows) -> None:
    wide = rows("conversion_to_sql_contacted_fast", within_hours=6)[0]
    assert (wide["numerator"], wide["denominator"]) == (3, 4)
    assert rows("conversion_to_sql_contacted_late", within_hours=6)[0]["value"] is None
    assert rows("response_speed_lift", within_hours=6)[0]["value"] is None


def test_accept_sla(rows) -> None:
    # Deadlines in Q1: L1 L2 L3 L4 L6 L7; late: L2 (accepted a day on), L7 (never answered).
    assert rows("sla_accept_in_time") == [
        {"value": pytest.approx(4 / 6), "numerator": 4, "denominator": 6}
    ]
    by_rep = rows("sla_accept_in_time", replace(Q1, by="rep"))
    assert values(by_rep, "rep") == {"Ann Rep": (3, 3), "Bob Rep": (1, 3)}


def test_contact_sla_counts_accepted_leads_only(rows) -> None:
    # L1 L2 L4 L6 were accepted; L2 was contacted two hours after its deadline.
    result = rows("sla_contact_in_time")[0]
    assert (result["numerator"], result["denominator"]) == (3, 4)


def test_mql_delivery_against_commitments(rows) -> None:
    # Jan: whole company 3, delivered 3. Feb: SMB 2 (delivered 2), Enterprise 1 (0).
    # Mar: whole company 2, delivered 1 (L7).
    whole = rows("sla_mql_delivery")[0]
    assert (whole["numerator"], whole["denominator"]) == (6, 8)
    by_month = rows("sla_mql_delivery", replace(Q1, by="cohort"))
    assert values(by_month, "cohort") == {
        "2024-01-01": (3, 3),
        "2024-02-01": (2, 3),
        "2024-03-01": (1, 2),
    }
    by_segment = rows("sla_mql_delivery", replace(Q1, by="segment"))
    assert values(by_segment, "segment") == {
        "(all segments)": (4, 5),
        "Enterprise": (0, 1),
        "SMB": (2, 2),
    }
    smb = rows("sla_mql_delivery", replace(Q1, segment="SMB"))[0]
    assert (smb["numerator"], smb["denominator"], smb["value"]) == (2, 2, 1.0)
