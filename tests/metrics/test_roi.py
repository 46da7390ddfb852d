"""ROI per channel and campaign: attributed won revenue over the period's spend, per model.

Q1 2025. Account 1 won 1,000 (opportunity 10): an e-mail touch (campaign 7),
then a webinar (campaign 8). Account 2 lost opportunity 20 after a webinar.
Account 3 won 500 in 2024 (outside the period) after an e-mail. Spend in Q1:
e-mail 100 (campaign 7), webinar 400 (campaign 8); e-mail 900 in April.

    first touch: e-mail 1,000 / 100 = 10;  webinar 0 / 400 = 0
    last touch:  e-mail 0;                webinar 1,000 / 400 = 2.5
    linear:      e-mail 500 / 100 = 5;     webinar 500 / 400 = 1.25
"""

from __future__ import annotations

from datetime import date

import pytest

from accord.metrics.definitions.roi import roi_compute
from accord.metrics.registry import MetricQuery
from tests.metrics.test_money_tables import IBIS_WARNINGS, at, tables

pytestmark = [pytest.mark.nodb, *IBIS_WARNINGS]

Q1 = MetricQuery(date(2025, 1, 1), date(2025, 4, 1))
MODELS = ("first", "last", "linear")
DATA = tables(
    segments=[{"id": 1, "name": "SMB"}],
    accounts=[{"id": 1, "segment_id": 1}, {"id": 2, "segment_id": 1}, {"id": 3}],
    campaigns=[
        {"id": 7, "name": "Spring e-mails", "channel": "email", "segment_id": 1},
        {"id": 8, "name": "Product webinar", "channel": "webinar", "segment_id": 1},
    ],
    touches=[
        {"id": 1, "account_id": 1, "campaign_id": 7, "channel": "email", "kind": "email_click",
         "occurred_at": at(2024, 12, 1)},
        {"id": 2, "account_id": 1, "campaign_id": 8, "channel": "webinar", "kind": "webinar",
         "occurred_at": at(2024, 12, 10)},
        {"id": 3, "account_id": 2, "campaign_id": 8, "channel": "webinar", "kind": "webinar",
         "occurred_at": at(2024, 12, 12)},
        {"id": 4, "account_id": 3, "campaign_id": 7, "channel": "email", "kind": "email_click",
         "occurred_at": at(2024, 5, 1)},
    ],
    opportunities=[
        {"id": 10, "account_id": 1, "amount_company": 1000, "created_at": at(2025, 1, 2),
         "closed_at": at(2025, 2, 1), "is_won": True, "is_closed": True},
        {"id": 20, "account_id": 2, "amount_company": 700, "created_at": at(2025, 1, 3),
         "closed_at": at(2025, 3, 1), "is_won": False, "is_closed": True},
        {"id": 30, "account_id": 3, "amount_company": 500, "created_at": at(2024, 5, 2),
         "closed_at": at(2024, 6, 1), "is_won": True, "is_closed": True},
    ],
    spend=[
        {"id": 1, "campaign_id": 7, "channel": "email", "period_start": date(2025, 1, 1),
         "period_end": date(2025, 1, 31), "amount_company": 100},
        {"id": 2, "campaign_id": 8, "channel": "webinar", "period_start": date(2025, 2, 1),
         "period_end": date(2025, 2, 28), "amount_company": 400},
        {"id": 3, "campaign_id": 7, "channel": "email", "period_start": date(2025, 4, 1),
         "period_end": date(2025, 4, 30), "amount_company": 900},
    ],
)  # fmt: skip


def roi_table(by: str) -> dict[str, dict[str, float | None]]:
    result = roi_compute(DATA, Q1, by=by, models=MODELS)
    return {
        row.label: {m: row.roi(m) for m in MODELS} | {"spend": row.spend} for row in result.rows
    }


def test_roi_per_channel_for_each_model() -> None:
    assert roi_table("channel") == {
        "email": {"first": 10.0, "last": 0.0, "linear": 5.0, "spend": 100.0},
        "webinar": {"first": 0.0, "last": 2.5, "linear": 1.25, "spend": 400.0},
    }


def test_roi_per_campaign_is_labelled_with_the_campaign_name() -> None:
    assert roi_table("campaign") == {
        "Spring e-mails": {"first": 10.0, "last": 0.0, "linear": 5.0, "spend": 100.0},
        "Product webinar": {"first": 0.0, "last": 2.5, "linear": 1.25, "spend": 400.0},
    }


def test_a_channel_with_revenue_but_no_spend_has_no_roi() -> None:
    result = roi_compute(DATA, MetricQuery(date(2025, 2, 1), date(2025, 3, 1)), models=MODELS)
    email = next(row for row in result.rows if row.key == "email")
    assert (email.spend, email.revenue["first"], email.roi("first")) == (0.0, 1000.0, None)


def test_roi_refuses_another_breakdown() -> None:
    with pytest.raises(ValueError, match="ROI is by channel or campaign, not 'segment'"):
        roi_compute(DATA, Q1, by="segment")
