"""Every model gives the same numbers on DuckDB, PostgreSQL and Spark."""

from __future__ import annotations

import ibis
import pytest

from accord.metrics.attribution import MODELS, Settings, attribute
from tests.metrics.attribution.helpers import touch_table
from tests.metrics.attribution.test_independent import random_rows

pytestmark = pytest.mark.nodb

ROWS = [
    *random_rows(seed=21, journeys=120),
    ("tie", 1.0, "email", True, 40, None, "c1"),
    ("tie", 1.0, "direct", True, 40, None, "c2"),  # same instant: ordered by label
    ("tie", 2.0, "search", True, 40, "lead_created", None),
]


@pytest.fixture(scope="module")
def reference():
    return attribute(ibis.duckdb.connect().create_table("t", ibis.memtable(touch_table(ROWS))))


def test_all_models_agree_across_engines(load, reference) -> None:
    result = attribute(load(touch_table(ROWS)))
    assert (result.journeys, result.conversions, result.value) == (
        reference.journeys,
        reference.conversions,
        pytest.approx(reference.value),
    )
    for model in MODELS:
        ours, theirs = result.models[model], reference.models[model]
        assert ours.conversions == pytest.approx(theirs.conversions, abs=1e-9), model
        assert ours.value == pytest.approx(theirs.value, rel=1e-9), model


def test_campaign_credit_lookback_and_order_two_agree(load) -> None:
    options = {"by": "campaign", "lookback_days": 3, "settings": Settings(markov_order=2)}
    rows = [(*r[:5], r[5] if len(r) > 5 else None, f"c{i % 4}") for i, r in enumerate(ROWS)]
    reference = attribute(ibis.memtable(touch_table(rows)), **options)
    result = attribute(load(touch_table(rows)), **options)
    for model in MODELS:
        assert result.models[model].value == pytest.approx(
            reference.models[model].value, rel=1e-9
        ), model
