"""Reading shared targets and MQL commitments for a period, from the canonical tables.

A target row covers one month, for one segment or (without a segment) the
whole company. The company's target for a month is its own row when there
is one, otherwise the sum of the segments' rows for that month. Every month
of the period must have a target; a month without one is named in the error.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import ibis.expr.types as ir

from accord.metrics.tables import Tables
from accord.metrics.waterfall import MEASURES, exact
from accord.months import months_of as months_from

NO_TARGET = "No {measure} target for {months} ({scope}): set one before asking for the ledger."


class NoTargetError(LookupError):
    """The period (or a month of it) has no target of that measure."""


def months_of(start: date, end: date) -> list[date]:
    return months_from(start, end)


def _monthly(rows: ir.Table, start: date, end: date) -> ir.Table:
    return rows.filter((rows.month >= start) & (rows.month < end))


def _by_month(table: ir.Table, value: str) -> dict[tuple[date, str | None], object]:
    rows = table.to_pyarrow().to_pylist()
    return {(row["month"], row["segment"]): row[value] for row in rows}


def _named(tables: Tables, rows: ir.Table, value: str) -> ir.Table:
    segments = tables.segments
    names = segments.select(seg_id=segments.id, segment=segments.name)
    joined = rows.left_join(names, rows.segment_id == names.seg_id)
    return joined.select(month=joined.month, segment=joined.segment, **{value: joined[value]})


def _per_month(
    found: dict[tuple[date, str | None], object], months: list[date], segment: str | None
) -> dict[date, object]:
    """The value of each month for ``segment`` (company: own row, else segments' sum)."""
    result: dict[date, object] = {}
    for month in months:
        if segment is not None or (month, None) in found:
            if (month, segment) in found:
                result[month] = found[(month, segment)]
            continue
        parts = [v for (m, s), v in found.items() if m == month and s is not None]
        if parts:
            result[month] = sum(parts)  # type: ignore[arg-type]
    return result


def target_total(
    tables: Tables, *, measure: str, start: date, end: date, segment: str | None
) -> Decimal:
    """The sum of the monthly targets of ``measure`` over ``[start, end)``."""
    if measure not in MEASURES:
        raise ValueError(f"measure must be one of {', '.join(MEASURES)}, not {measure!r}")
    rows = tables.targets
    rows = _monthly(rows.filter(rows.measure == measure), start, end)
    months = months_of(start, end)
    per_month = _per_month(_by_month(_named(tables, rows, "amount"), "amount"), months, segment)
    missing = [m.strftime("%Y-%m") for m in months if m not in per_month]
    if missing:
        scope = f"segment {segment}" if segment else "the whole company"
        raise NoTargetError(
            NO_TARGET.format(measure=measure, months=", ".join(missing), scope=scope)
        )
    return sum((exact(v) for v in per_month.values()), Decimal("0.00"))


def committed_mqls(tables: Tables, *, start: date, end: date, segment: str | None) -> int | None:
    """Marketing's MQL commitments over the period, or None when no month has one."""
    rows = _monthly(tables.mql_commitments, start, end)
    found = _by_month(_named(tables, rows, "mqls"), "mqls")
    per_month = _per_month(found, months_of(start, end), segment)
    return int(sum(per_month.values())) if per_month else None  # type: ignore[arg-type]
