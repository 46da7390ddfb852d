from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from accord.funnel.business_hours import add_business_hours, business_hours_between

pytestmark = pytest.mark.nodb
NY = ZoneInfo("America/New_York")
BERLIN = ZoneInfo("Europe/Berlin")


def at(zone: ZoneInfo, *parts: int) -> datetime:
    return datetime(*parts, tzinfo=zone)


def test_within_the_same_working_day() -> None:
    start = at(NY, 2026, 11, 23, 10, 0)  # Monday
    assert add_business_hours(start, 4, time_zone="America/New_York") == at(NY, 2026, 11, 23, 14)


def test_friday_afternoon_rolls_to_monday() -> None:
    start = at(NY, 2026, 11, 20, 16, 30)  # Friday 16:30, half an hour left
    due = add_business_hours(start, 4, time_zone="America/New_York")
    assert due == at(NY, 2026, 11, 23, 12, 30)


def test_weekend_arrival_starts_monday_morning() -> None:
    start = at(NY, 2026, 11, 21, 11, 0)  # Saturday
    assert add_business_hours(start, 4, time_zone="America/New_York") == at(NY, 2026, 11, 23, 13)


def test_before_opening_counts_from_opening() -> None:
    start = at(NY, 2026, 11, 24, 6, 0)
    assert add_business_hours(start, 1, time_zone="America/New_York") == at(NY, 2026, 11, 24, 10)


def test_twenty_four_business_hours_span_three_days() -> None:
    start = at(NY, 2026, 11, 23, 9, 0)
    assert add_business_hours(start, 24, time_zone="America/New_York") == at(NY, 2026, 11, 25, 17)


def test_holidays_are_skipped() -> None:
    start = at(NY, 2026, 11, 25, 16, 0)  # Wednesday before Thanksgiving
    due = add_business_hours(
        start, 2, time_zone="America/New_York", holidays={date(2026, 11, 26), date(2026, 11, 27)}
    )
    assert due == at(NY, 2026, 11, 30, 10)


def test_result_is_returned_in_the_callers_zone() -> None:
    start = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)  # 09:00 in New York
    due = add_business_hours(start, 4, time_zone="America/New_York")
    assert due == datetime(2026, 11, 23, 18, 0, tzinfo=UTC)
    assert due.tzinfo == UTC


def test_dst_change_overnight_keeps_working_hours_intact() -> None:
    # Europe moves clocks back on Sunday 25 Oct 2026; Friday 15:00 + 4h = Monday 11:00 local.
    start = at(BERLIN, 2026, 10, 23, 15, 0)
    due = add_business_hours(start, 4, time_zone="Europe/Berlin")
    assert due == at(BERLIN, 2026, 10, 26, 11, 0)
    assert due.utcoffset() != start.utcoffset()


def test_custom_working_day() -> None:
    start = at(NY, 2026, 11, 23, 7, 30)
    due = add_business_hours(
        start, 3, time_zone="America/New_York", day_starts=time(7), day_ends=time(9)
    )
    assert due == at(NY, 2026, 11, 24, 8, 30)


def test_naive_or_negative_input_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        add_business_hours(datetime(2026, 1, 1), 1)
    with pytest.raises(ValueError, match="negative"):
        add_business_hours(at(NY, 2026, 1, 5, 10), -1)


def test_hours_between_ignores_nights_and_weekends() -> None:
    start = at(NY, 2026, 11, 20, 16, 0)  # Friday 16:00
    end = at(NY, 2026, 11, 23, 10, 30)  # Monday 10:30
    assert business_hours_between(start, end, time_zone="America/New_York") == 2.5
    assert business_hours_between(end, start, time_zone="America/New_York") == 0.0
