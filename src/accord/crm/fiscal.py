"""The company's fiscal calendar: which fiscal year and quarter a date falls in.

Fiscal years are named after the calendar year in which they *end* (a year
starting in February 2026 is FY2027), the common convention in CRMs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class FiscalQuarter:
    year: int
    quarter: int
    starts: date
    ends: date  # the last day, inclusive

    @property
    def label(self) -> str:
        return f"FY{self.year} Q{self.quarter}"


def _check_month(start_month: int) -> None:
    if not 1 <= start_month <= 12:
        raise ValueError(f"The fiscal year starts in a month from 1 to 12, not {start_month}.")


def _add_months(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


def fiscal_year(day: date, start_month: int = 1) -> int:
    _check_month(start_month)
    if start_month == 1:
        return day.year
    return day.year + 1 if day.month >= start_month else day.year


def fiscal_quarter(day: date, start_month: int = 1) -> FiscalQuarter:
    _check_month(start_month)
    months_in = (day.month - start_month) % 12
    quarter = months_in // 3 + 1
    start_year, start_m = _add_months(day.year, day.month, -(months_in % 3))
    end_year, end_m = _add_months(start_year, start_m, 3)
    ends = date(end_year, end_m, 1).toordinal() - 1
    return FiscalQuarter(
        year=fiscal_year(day, start_month),
        quarter=quarter,
        starts=date(start_year, start_m, 1),
        ends=date.fromordinal(ends),
    )
