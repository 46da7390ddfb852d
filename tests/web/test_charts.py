from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

from accord.web.charts import bars_chart, funnel_chart, lines_chart, waterfall_chart


def _csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_the_funnel_shows_the_conversion_from_the_stage_before() -> None:
    chart = funnel_chart("funnel", "Funnel", [("MQL", 200), ("SAL", 150), ("SQL", 60), ("Won", 0)])
    assert chart.rows == (("MQL", 200, None), ("SAL", 150, 0.75), ("SQL", 60, 0.4), ("Won", 0, 0.0))
    trace = chart.figure["data"][0]
    assert trace["type"] == "funnel" and trace["x"] == [200, 150, 60, 0]


def test_an_empty_funnel_has_no_figure_to_draw() -> None:
    chart = funnel_chart("funnel", "Funnel", [("MQL", 0), ("SAL", 0)])
    assert chart.figure == {}


def test_lines_table_and_figure_hold_the_same_numbers() -> None:
    chart = lines_chart(
        "trend", "Trend", ["2026-01", "2026-02"], {"Sales": [0.5, None], "Marketing": [1, 2]}
    )
    assert chart.columns == ("period", "Sales", "Marketing")
    assert chart.rows == (("2026-01", 0.5, 1), ("2026-02", None, 2))
    sales, marketing = chart.figure["data"]
    assert sales["y"] == [0.5, None] and marketing["y"] == [1.0, 2.0]
    assert sales["line"]["color"] != marketing["line"]["color"]
    json.dumps(chart.figure)  # a figure is plain data


def test_csv_keeps_numbers_and_guards_text_against_formulas() -> None:
    chart = bars_chart("roi", "ROI", ["=HYPERLINK()", "email"], {"ROI": [Decimal("-1.50"), None]})
    assert _csv(chart.csv()) == [["category", "ROI"], ["'=HYPERLINK()", "-1.50"], ["email", ""]]


def test_the_waterfall_ends_at_start_plus_steps() -> None:
    chart = waterfall_chart(
        "ledger",
        "Ledger",
        ("Target", Decimal("1000")),
        [("MQL volume", Decimal("-300")), ("Win rate", Decimal("-150.25"))],
        "Actual",
    )
    assert chart.rows[-1] == ("Actual", 549.75)
    assert chart.figure["data"][0]["measure"] == ["absolute", "relative", "relative", "total"]
