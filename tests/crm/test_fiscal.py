from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.crm.fiscal import fiscal_quarter, fiscal_year

pytestmark = pytest.mark.nodb


def test_calendar_year_company() -> None:
    q = fiscal_quarter(date(2026, 11, 23))
    assert (q.year, q.quarter, q.starts, q.ends) == (2026, 4, date(2026, 10, 1), date(2026, 12, 31))
    assert q.label == "FY2026 Q4"


def test_february_start_names_the_year_it_ends_in() -> None:
    assert fiscal_year(date(2026, 1, 31), 2) == 2026
    assert fiscal_year(date(2026, 2, 1), 2) == 2027
    q = fiscal_quarter(date(2026, 1, 15), 2)
    assert (q.year, q.quarter, q.starts, q.ends) == (2026, 4, date(2025, 11, 1), date(2026, 1, 31))
    q = fiscal_quarter(date(2026, 2, 1), 2)
    assert (q.year, q.quarter, q.starts, q.ends) == (2027, 1, date(2026, 2, 1), date(2026, 4, 30))


def test_july_start_quarter_spanning_leap_february() -> None:
    q = fiscal_quarter(date(2028, 2, 29), 7)
    assert (q.year, q.quarter, q.starts, q.ends) == (2028, 3, date(2028, 1, 1), date(2028, 3, 31))


def test_bad_start_month_is_refused() -> None:
    with pytest.raises(ValueError, match="month from 1 to 12"):
        fiscal_quarter(date(2026, 1, 1), 13)


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)), st.integers(1, 12))
def test_every_day_sits_inside_its_quarter(day: date, start_month: int) -> None:
    q = fiscal_quarter(day, start_month)
    assert q.starts <= day <= q.ends
    assert q.starts.day == 1 and (q.ends.month - q.starts.month) % 12 == 2
    assert fiscal_quarter(q.starts, start_month) == q == fiscal_quarter(q.ends, start_month)
