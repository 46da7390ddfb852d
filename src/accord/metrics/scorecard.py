"""The shared scorecard: every scorecard metric for one period and segment, one number each.

Both the ``accord metrics`` command and the managers' page read it from
here. Periods are whole months; the default is the last full quarter before
today, counted from the company's fiscal year start.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from accord.metrics import gateway
from accord.metrics.gateway import MetricResult, Source
from accord.metrics.registry import MetricDef, MetricQuery, metrics_all
from accord.months import last_full_quarter, month_add

MONTH = re.compile(r"^(\d{4})-(\d{2})$")
BAD_MONTH = "{field}: expected a month as YYYY-MM, got {value!r}."
FROM_AFTER_TO = "{first} {start} is after {last} {end}: the period would be empty."
UNKNOWN_SEGMENT = "{field}: no segment named {name!r} (known: {known})."
CLI_FIELDS = ("--from", "--to", "--segment")
log = logging.getLogger("accord.metrics")


class PeriodError(ValueError):
    """A period or segment the scorecard cannot use; the message names the field."""


def month_parse(value: str, field: str) -> date:
    found = MONTH.match(value.strip())
    if not found or not 1 <= int(found.group(2)) <= 12:
        raise PeriodError(BAD_MONTH.format(field=field, value=value))
    return date(int(found.group(1)), int(found.group(2)), 1)


def _fiscal_start_month() -> int:
    from accord.crm.models import Company

    company = Company.objects.first()
    return company.fiscal_year_start_month if company else 1


def period_parse(
    start: str | None, end: str | None, *, today: date, fields: tuple[str, ...] = CLI_FIELDS
) -> tuple[date, date]:
    """The period from ``--from``/``--to`` (both months included).

    Neither: the last full quarter. Only ``--from``: up to the last full month.
    Only ``--to``: the three months ending with it. ``fields`` name the two
    inputs in error messages (the options on the command line, labels on a page).
    """
    if start is None and end is None:
        return last_full_quarter(today, fiscal_start_month=_fiscal_start_month())
    last = month_parse(end, fields[1]) if end else month_add(today, -1)
    first = month_parse(start, fields[0]) if start else month_add(last, -2)
    if first > last:
        raise PeriodError(
            FROM_AFTER_TO.format(
                first=fields[0], start=f"{first:%Y-%m}", last=fields[1], end=f"{last:%Y-%m}"
            )
        )
    return first, month_add(last, 1)


def segment_check(name: str | None, *, field: str = "--segment") -> str | None:
    """The segment name as stored, or a clear error naming the known ones."""
    from accord.directory.models import Segment

    if name is None or not name.strip():
        return None
    names = list(Segment.objects.values_list("name", flat=True))
    for known in names:
        if known.casefold() == name.strip().casefold():
            return known
    known = ", ".join(names) or "none"
    raise PeriodError(UNKNOWN_SEGMENT.format(field=field, name=name, known=known))


def default_query(today: date) -> MetricQuery:
    start, end = last_full_quarter(today, fiscal_start_month=_fiscal_start_month())
    return MetricQuery(start=start, end=end)


@dataclass(frozen=True)
class Entry:
    """One line of the scorecard: the metric, its result, or why it could not be computed."""

    metric: MetricDef
    result: MetricResult | None
    error: str = ""

    def as_dict(self) -> dict[str, Any]:
        if self.result is None:
            return {"value": None, "unit": self.metric.unit, "error": self.error}
        return {
            "value": self.result.value,
            "unit": self.metric.unit,
            "definition_version": self.result.definition_version,
            "data_time": self.result.data_time.isoformat(),
        }


def scorecard_compute(query: MetricQuery, *, engine: str | Source | None = None) -> list[Entry]:
    """Every scorecard metric, ungrouped, for the query's period and segment.

    A metric that fails is reported on its own line (and logged) instead of
    taking the whole scorecard down with it.
    """
    entries = []
    for mdef in metrics_all():
        if not mdef.on_scorecard:
            continue
        try:
            entries.append(Entry(mdef, gateway.run(mdef.key, query, engine=engine)))
        except Exception as exc:
            log.exception("Metric %s failed", mdef.key)
            entries.append(Entry(mdef, None, error=str(exc) or type(exc).__name__))
    return entries


def scorecard_json(entries: list[Entry]) -> dict[str, dict[str, Any]]:
    """Flat keys per metric: value, unit, definition version and data time."""
    return {e.metric.key: e.as_dict() for e in entries}
