"""Journeys built from CRM touches and opportunities."""

from __future__ import annotations

from datetime import datetime

import ibis
import pyarrow as pa
import pytest

from accord.metrics.attribution import attribute
from accord.metrics.attribution.journeys import journeys_from_crm

pytestmark = pytest.mark.nodb


def day(n: int) -> datetime:
    return datetime(2024, 1, n)


TOUCHES = ibis.memtable(
    pa.table(
        {
            "id": [1, 2, 3, 4, 5, 6, 7],
            "account_id": [10, 10, 10, 10, 20, 20, 30],
            "contact_id": [None, 1, 1, 2, 3, 3, 4],
            "campaign_id": ["7", "7", "8", None, "9", "9", "5"],
            "channel": ["email", "webinar", "direct", "event", "email", "display", "search"],
            "kind": [
                "click",
                "lead_created",
                "visit",
                "opportunity_created",
                "click",
                "click",
                "ad",
            ],
            "occurred_at": [day(1), day(2), day(5), day(8), day(3), day(4), day(6)],
        }
    )
)
OPPORTUNITIES = ibis.memtable(
    pa.table(
        {
            "id": [100, 101, 200],
            "account_id": [10, 10, 20],
            "amount_company": [1000.0, 500.0, 50.0],
            "created_at": [day(3), day(9), day(10)],
            "closed_at": [day(6), day(12), None],
            "is_won": [True, True, False],
            "is_closed": [True, True, False],
        }
    )
)


def rows(table: ibis.Table) -> list[tuple]:
    frame = table.order_by(["journey_id", "ts"]).to_pyarrow().to_pylist()
    return [(r["journey_id"], r["ts"].day, r["channel"], r["converted"], r["value"]) for r in frame]


def test_a_touch_belongs_to_the_next_opportunity_created_after_it() -> None:
    assert rows(journeys_from_crm(TOUCHES, OPPORTUNITIES)) == [
        ("account:30", 6, "search", False, 0.0),
        ("opportunity:100", 1, "email", True, 1000.0),
        ("opportunity:100", 2, "webinar", True, 1000.0),
        ("opportunity:101", 5, "direct", True, 500.0),
        ("opportunity:101", 8, "event", True, 500.0),
        ("opportunity:200", 3, "email", False, 0.0),
        ("opportunity:200", 4, "display", False, 0.0),
    ]


def test_anchoring_on_close_with_a_short_lookback() -> None:
    built = journeys_from_crm(TOUCHES, OPPORTUNITIES, anchor="closed", lookback_days=3)
    # Opportunity 100 closed on day 6: only day 5 is inside three days; 101 closed on
    # day 12 keeps nothing (day 8 is too early); 200 never closed, so account 20 is open.
    assert rows(built) == [
        ("account:20", 3, "email", False, 0.0),
        ("account:20", 4, "display", False, 0.0),
        ("account:30", 6, "search", False, 0.0),
        ("opportunity:100", 5, "direct", True, 1000.0),
    ]


def test_milestones_come_from_touch_kinds_and_feed_the_engine() -> None:
    built = journeys_from_crm(TOUCHES, OPPORTUNITIES)
    milestones = built.filter(built.milestone.notnull()).to_pyarrow().to_pylist()
    assert {(r["journey_id"], r["milestone"]) for r in milestones} == {
        ("opportunity:100", "lead_created"),
        ("opportunity:101", "opportunity_created"),
    }
    result = attribute(built)
    assert (result.journeys, result.conversions, result.value) == (4, 2, 1500.0)
