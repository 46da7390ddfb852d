"""File mode's packed Markov counts equal the portable window's, and so do all credits."""

from __future__ import annotations

from datetime import timedelta

import ibis
import numpy as np
import pyarrow as pa
import pytest

from accord.metrics.attribution import MODELS, AttributionInputError, Settings, attribute
from accord.metrics.attribution import expressions as ex
from accord.metrics.attribution.engine import touches_prepare, transitions
from accord.metrics.attribution.files import duckdb_attribute
from accord.metrics.attribution.markov import Transitions
from accord.metrics.attribution.packed import layout_fit, packed_transitions, touch_ranges
from tests.metrics.attribution.helpers import T0, touch_table
from tests.metrics.attribution.test_independent import random_rows

pytestmark = pytest.mark.nodb

TIES = [
    ("tie", 1.0, "email", True, 40, None, "c1"),
    ("tie", 1.0, "direct", True, 40, None, "c2"),  # same instant: ordered by label
    ("tie", 2.0, "search", True, 40, "lead_created", None),
    ("tie", 2.0, "search", True, 40, None, None),
]
ROWS = [(*r, f"c{i % 5}") for i, r in enumerate(random_rows(seed=5, journeys=200))] + TIES


def integer_ids(table: pa.Table, spread: int = 3) -> pa.Table:
    """Journey ids as integers ``spread`` apart instead of text."""
    ids = table["journey_id"].to_pylist()
    number = {journey: spread * i for i, journey in enumerate(dict.fromkeys(ids))}
    return table.set_column(0, "journey_id", pa.array([number[j] for j in ids], pa.int64()))


def shifted(table: pa.Table, micros: int) -> pa.Table:
    """Move every other touch by a few microseconds, so times no longer fall on whole seconds."""
    ts = table["ts"].to_pylist()
    moved = [t + timedelta(microseconds=micros * (i % 2)) for i, t in enumerate(ts)]
    return table.set_column(1, "ts", pa.array(moved, pa.timestamp("us")))


def sorted_steps(steps: Transitions) -> list[tuple]:
    rows = zip(steps.state, steps.next_code, steps.converted, steps.touches, strict=True)
    return sorted((int(s), int(n), bool(c), float(t)) for s, n, c, t in rows)


TABLES = {
    "text ids": touch_table(ROWS),
    "integer ids": integer_ids(touch_table(ROWS)),
    "sub-second times": shifted(touch_table(ROWS), micros=7),
    "ids spread too far to pack": integer_ids(touch_table(ROWS), spread=1 << 35),
    "decades in microseconds": shifted(touch_table([*ROWS, ("late", 15_000, "email", True, 9)]), 3),
}
UNPACKABLE = "decades in microseconds"  # 51 bits of time, 3 of code, 10 of row index


@pytest.mark.parametrize("name", TABLES)
@pytest.mark.parametrize("order", [1, 2, 4])
@pytest.mark.parametrize("by", ["channel", "campaign"])
def test_packed_counts_equal_the_window(name: str, order: int, by: str) -> None:
    touches = ibis.duckdb.connect().create_table("t", ibis.memtable(TABLES[name]))
    prepared = touches_prepare(
        touches, models=MODELS, by=by, lookback_days=None, profile=touch_ranges
    )
    coded = ex.touches_coded(prepared.keyed, prepared.keys)
    window = transitions(coded, prepared.keyed, order=order, n_keys=len(prepared.keys))
    packed = packed_transitions(
        touches._find_backend(), prepared.keyed, prepared.keys, order=order, ranges=prepared.profile
    )
    if name == UNPACKABLE:
        assert packed is None
        return
    assert sorted_steps(packed) == sorted_steps(window)


@pytest.mark.parametrize("name", TABLES)
@pytest.mark.parametrize(
    "options",
    [
        {},
        {"by": "campaign", "lookback_days": 3.0, "settings": Settings(markov_order=2)},
    ],
)
def test_file_mode_credits_equal_the_portable_path(name: str, options: dict) -> None:
    options = {"by": "channel", "lookback_days": None, "settings": Settings()} | options
    portable = attribute(
        ibis.duckdb.connect().create_table("t", ibis.memtable(TABLES[name])), **options
    )
    touches = ibis.duckdb.connect().create_table("t", ibis.memtable(TABLES[name]))
    fast = duckdb_attribute(touches, models=MODELS, **options)
    assert (fast.journeys, fast.conversions) == (portable.journeys, portable.conversions)
    assert fast.value == pytest.approx(portable.value, rel=1e-12)
    for model in MODELS:
        ours, theirs = fast.models[model], portable.models[model]
        assert ours.conversions == pytest.approx(theirs.conversions, rel=1e-12, abs=1e-12), model
        assert ours.value == pytest.approx(theirs.value, rel=1e-12), model


def test_a_journey_changing_converted_is_named() -> None:
    rows = [("A", 0, "email", True, 5), ("A", 1, "search", False, 5), ("B", 0, "email", False, 0)]
    touches = ibis.duckdb.connect().create_table("t", ibis.memtable(touch_table(rows)))
    with pytest.raises(AttributionInputError, match=r"'converted' differs .* journey 'A'"):
        duckdb_attribute(
            touches, models=MODELS, by="channel", lookback_days=None, settings=Settings()
        )


def test_one_touch_packs() -> None:
    touches = ibis.duckdb.connect().create_table(
        "t", ibis.memtable(touch_table([("A", 0, "email", True, 5)]))
    )
    prepared = touches_prepare(
        touches, models=MODELS, by="channel", lookback_days=None, profile=touch_ranges
    )
    backend = touches._find_backend()
    steps = packed_transitions(
        backend, prepared.keyed, prepared.keys, order=1, ranges=prepared.profile
    )
    assert sorted_steps(steps) == [(1, -1, True, 1.0)]
    assert np.array_equal(steps.next_code, [-1])


def test_a_counting_index_past_63_bits_is_refused() -> None:
    ranges = {"rows": 10, "ts_min": T0, "ts_max": T0, "whole_seconds": True}
    ranges |= {"whole_milliseconds": True}
    assert layout_fit(ranges, n_keys=12, order=4) is not None
    assert layout_fit(ranges, n_keys=20_000, order=4) is None  # (2 * 20001^4) * 20002 > 2^63
