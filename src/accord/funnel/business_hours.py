"""SLA clocks count working time in the owner's time zone, not wall time.

A lead that becomes an MQL at 16:30 on a Friday with a four-hour SLA is due
at 12:30 on Monday for someone working 9 to 5. Hours are counted on the
local wall clock within each working day, so a DST change inside a night
neither adds nor removes working time.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

WEEKEND = {5, 6}
MAX_DAYS_SEARCHED = 3660


def _is_working_day(day: date, holidays: Collection[date]) -> bool:
    return day.weekday() not in WEEKEND and day not in holidays


def add_business_hours(
    start: datetime,
    hours: float,
    *,
    time_zone: str = "UTC",
    day_starts: time = time(9, 0),
    day_ends: time = time(17, 0),
    holidays: Collection[date] = (),
) -> datetime:
    """The moment ``hours`` of working time after ``start`` (an aware datetime)."""
    if start.tzinfo is None:
        raise ValueError("start must be time-zone aware")
    if hours < 0:
        raise ValueError("hours must not be negative")
    if day_ends <= day_starts:
        raise ValueError("the working day must end after it starts")
    zone = ZoneInfo(time_zone)
    local = start.astimezone(zone).replace(tzinfo=None)
    remaining = timedelta(hours=hours)
    day = local.date()
    for _ in range(MAX_DAYS_SEARCHED):
        opens = datetime.combine(day, day_starts)
        closes = datetime.combine(day, day_ends)
        if _is_working_day(day, holidays) and local < closes:
            begin = max(local, opens)
            if begin + remaining <= closes:
                return (begin + remaining).replace(tzinfo=zone).astimezone(start.tzinfo)
            remaining -= closes - begin
        day += timedelta(days=1)
        local = datetime.combine(day, day_starts)
    raise ValueError("no working day found within ten years; check the holiday calendar")


def business_hours_between(
    start: datetime,
    end: datetime,
    *,
    time_zone: str = "UTC",
    day_starts: time = time(9, 0),
    day_ends: time = time(17, 0),
    holidays: Collection[date] = (),
) -> float:
    """Working hours elapsed from ``start`` to ``end`` (0 when end is not later)."""
    if end <= start:
        return 0.0
    zone = ZoneInfo(time_zone)
    a = start.astimezone(zone).replace(tzinfo=None)
    b = end.astimezone(zone).replace(tzinfo=None)
    total = timedelta()
    day = a.date()
    while day <= b.date():
        if _is_working_day(day, holidays):
            opens = max(datetime.combine(day, day_starts), a)
            closes = min(datetime.combine(day, day_ends), b)
            if closes > opens:
                total += closes - opens
        day += timedelta(days=1)
    return total.total_seconds() / 3600
