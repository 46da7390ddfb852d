"""Whole-month arithmetic shared by the metric layer, its commands and the pages.

Periods are whole months: a first day, and the first day after the last month.
"""

from __future__ import annotations

from datetime import date


def month_add(day: date, months: int) -> date:
    """The first day of the month ``months`` after (or before) ``day``'s month."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def months_of(start: date, end: date) -> list[date]:
    """The first day of every month from ``start``'s month that begins before ``end``."""
    months, month = [], month_add(start, 0)
    while month < end:
        months.append(month)
        month = month_add(month, 1)
    return months


def last_full_quarter(today: date, *, fiscal_start_month: int = 1) -> tuple[date, date]:
    """(first day, first day after) of the last quarter that ended before ``today``."""
    offset = (today.month - fiscal_start_month) % 3
    this_quarter = month_add(date(today.year, today.month, 1), -offset)
    return month_add(this_quarter, -3), this_quarter
