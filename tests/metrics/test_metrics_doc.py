"""docs/metrics.md has one line per registered metric, with its owners and unit as declared."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from accord.metrics.registry import MetricDef, metrics_all

pytestmark = pytest.mark.nodb
DOC = Path(__file__).resolve().parents[2] / "docs" / "metrics.md"
ROW = re.compile(r"^\| `(?P<key>[a-z0-9_]+)` \|(?P<rest>.*)\|\s*$")


def documented() -> dict[str, list[str]]:
    """metric key → the cells after it: meaning, formula, owner, unit."""
    rows = {}
    for line in DOC.read_text().splitlines():
        found = ROW.match(line)
        if found:
            cells = [c.strip() for c in re.split(r"(?<!\\)\|", found["rest"])]
            rows[found["key"]] = cells
    return rows


def test_every_registered_metric_has_a_line() -> None:
    missing = sorted({m.key for m in metrics_all()} - set(documented()))
    assert not missing, f"add a line to docs/metrics.md for: {', '.join(missing)}"


@pytest.mark.parametrize("mdef", metrics_all(), ids=lambda m: m.key)
def test_each_line_gives_meaning_formula_owner_and_unit(mdef: MetricDef) -> None:
    cells = documented().get(mdef.key)
    if cells is None:
        pytest.fail(f"docs/metrics.md has no line for {mdef.key}")
    assert len(cells) == 4, f"{mdef.key}: expected meaning | formula | owner | unit"
    meaning, formula, owner, unit = cells
    assert meaning and formula, f"{mdef.key}: say what it means and how it is computed"
    assert set(owner.split(" & ")) == set(mdef.sides), f"{mdef.key}: owner is {mdef.sides}"
    assert unit == mdef.unit, f"{mdef.key}: unit is {mdef.unit}"
