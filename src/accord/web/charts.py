"""Charts as data: a Plotly figure (plain dicts) plus the same numbers as a table.

Nothing here imports Plotly: the browser draws the figure with the vendored
plotly.js, fed through ``json_script`` (data, not code), so the
Content-Security-Policy needs no inline script. The table is the accessible
view of the chart and the source of its CSV download, so the three never
disagree.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from accord.spreadsheet import spreadsheet_safe

Number = int | float | Decimal
# Colour-blind-safe palette (Okabe-Ito), also distinct in greyscale print.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
SIDE_COLOURS = {"marketing": "#E69F00", "sales": "#0072B2"}


@dataclass(frozen=True)
class Chart:
    """One chart: a key unique on its page, a title, the figure and its table."""

    key: str
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[object, ...], ...]
    figure: dict[str, object] = field(default_factory=dict)
    note: str = ""

    @property
    def empty(self) -> bool:
        return not self.rows

    def csv(self) -> str:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(self.columns)
        writer.writerows([[_cell(v) for v in row] for row in self.rows])
        return buffer.getvalue()


def _cell(value: object) -> object:
    """Numbers as numbers; text through the formula guard; nothing as an empty cell."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, float):
        return round(value, 6)
    if isinstance(value, int):
        return value
    return spreadsheet_safe(str(value))


def _number(value: object) -> float | None:
    return None if value is None else float(value)  # type: ignore[arg-type]


def _layout(*, y_title: str = "", x_title: str = "", **extra: object) -> dict[str, object]:
    layout: dict[str, object] = {
        "margin": {"l": 60, "r": 20, "t": 10, "b": 50},
        "font": {"family": "system-ui, sans-serif", "size": 13, "color": "#1d2433"},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "legend": {"orientation": "h", "y": -0.3},
        "xaxis": {"title": {"text": x_title}, "automargin": True},
        "yaxis": {"title": {"text": y_title}, "automargin": True, "gridcolor": "#e3e6ed"},
    }
    layout.update(extra)
    return layout


def funnel_chart(key: str, title: str, stages: Sequence[tuple[str, int]]) -> Chart:
    """Counts per stage, with the conversion from the stage before."""
    rows = []
    for i, (stage, count) in enumerate(stages):
        before = stages[i - 1][1] if i else None
        rate = round(count / before, 4) if before else None
        rows.append((stage, count, rate))
    figure = {
        "data": [
            {
                "type": "funnel",
                "y": [s for s, _ in stages],
                "x": [c for _, c in stages],
                "textinfo": "value+percent previous",
                "marker": {"color": PALETTE[0]},
            }
        ],
        "layout": _layout(margin={"l": 120, "r": 20, "t": 10, "b": 20}),
    }
    columns = ("stage", "count", "conversion_from_previous")
    return Chart(key, title, columns, tuple(rows), figure if any(c for _, c in stages) else {})


def lines_chart(
    key: str,
    title: str,
    x: Sequence[str],
    series: dict[str, Sequence[Number | None]],
    *,
    y_title: str = "",
    kind: str = "lines+markers",
) -> Chart:
    """Several series over the same x (months, usually)."""
    data = [
        {
            "type": "scatter",
            "mode": kind,
            "name": name,
            "x": list(x),
            "y": [_number(v) for v in values],
            "line": {"color": _series_colour(name, i)},
        }
        for i, (name, values) in enumerate(series.items())
    ]
    rows = tuple((label, *(values[i] for values in series.values())) for i, label in enumerate(x))
    layout = _layout(y_title=y_title, xaxis={"type": "category", "automargin": True})
    figure = {"data": data, "layout": layout} if rows else {}
    return Chart(key, title, ("period", *series), rows, figure)


def bars_chart(
    key: str,
    title: str,
    categories: Sequence[str],
    series: dict[str, Sequence[Number | None]],
    *,
    y_title: str = "",
    first_column: str = "category",
) -> Chart:
    """Grouped bars: one group per category, one bar per series."""
    data = [
        {
            "type": "bar",
            "name": name,
            "x": list(categories),
            "y": [_number(v) for v in values],
            "marker": {"color": _series_colour(name, i)},
        }
        for i, (name, values) in enumerate(series.items())
    ]
    rows = tuple(
        (label, *(values[i] for values in series.values())) for i, label in enumerate(categories)
    )
    layout = _layout(
        y_title=y_title, barmode="group", xaxis={"type": "category", "automargin": True}
    )
    figure = {"data": data, "layout": layout} if rows else {}
    return Chart(key, title, (first_column, *series), rows, figure)


def waterfall_chart(
    key: str, title: str, start: tuple[str, Number], steps: Iterable[tuple[str, Number]], end: str
) -> Chart:
    """From ``start`` through signed steps to a total named ``end``."""
    steps = list(steps)
    labels = [start[0], *(s for s, _ in steps), end]
    values = [_number(start[1]), *(_number(v) for _, v in steps), None]
    measures = ["absolute", *("relative" for _ in steps), "total"]
    total = float(start[1]) + sum(float(v) for _, v in steps)
    figure = {
        "data": [
            {
                "type": "waterfall",
                "x": labels,
                "y": [v if v is not None else 0 for v in values],
                "measure": measures,
                "connector": {"line": {"color": "#8a94a6"}},
                "increasing": {"marker": {"color": PALETTE[5]}},
                "decreasing": {"marker": {"color": PALETTE[2]}},
                "totals": {"marker": {"color": PALETTE[0]}},
            }
        ],
        "layout": _layout(),
    }
    rows = ((start[0], start[1]), *steps, (end, total))
    return Chart(key, title, ("step", "amount"), tuple(rows), figure)


def _series_colour(name: str, index: int) -> str:
    return SIDE_COLOURS.get(name.lower(), PALETTE[index % len(PALETTE)])
