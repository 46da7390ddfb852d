from __future__ import annotations

from datetime import date

import pytest

from accord.cadence.schedule import add_months, meeting_period
from tests.cadence.helpers import SINCE, UNTIL, meeting_make, series_make


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2026, 11, 30), 3, date(2027, 2, 28)),
        (date(2026, 3, 15), -3, date(2025, 12, 15)),
    ],
)
def test_add_months_keeps_the_day_or_the_months_end(day, months, expected) -> None:
    assert add_months(day, months) == expected


@pytest.mark.django_db
def test_a_first_meeting_looks_back_one_interval(cast) -> None:
    period = meeting_period(meeting_make(cast))
    assert (period.since, period.until) == (SINCE, UNTIL)
    quarterly = meeting_make(cast, series_make(name="Quarterly", cadence="quarterly"))
    assert meeting_period(quarterly).since.date() == date(2026, 8, 3)
