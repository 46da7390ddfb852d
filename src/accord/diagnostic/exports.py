"""CSV downloads of survey figures, safe to open in a spreadsheet.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return can run as a formula in Excel, LibreOffice or Google Sheets, so text
cells (round names, labels) get a leading apostrophe. Numbers are written by
us from floats and left as numbers, so a negative gap stays a number.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from accord.diagnostic.queries import TrendMeasure
from accord.spreadsheet import spreadsheet_safe

TREND_COLUMNS = (
    "round",
    "opens_on",
    "instrument",
    "respondents",
    "measure",
    "score",
    "type",
    "sales",
    "marketing",
    "gap_marketing_minus_sales",
)


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def trend_csv(measures: Iterable[TrendMeasure]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(TREND_COLUMNS)
    for measure in measures:
        for cell in measure.cells:
            writer.writerow(
                [
                    spreadsheet_safe(cell.round.name),
                    cell.round.opens_on.isoformat(),
                    spreadsheet_safe(cell.round.instrument.version),
                    cell.respondents,
                    spreadsheet_safe(measure.label),
                    _number(cell.score),
                    cell.type or "",
                    _number(cell.sales),
                    _number(cell.marketing),
                    _number(cell.gap),
                ]
            )
    return out.getvalue()
