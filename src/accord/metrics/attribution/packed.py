"""File mode's fast Markov counts: one packed integer per touch, sorted by numpy (DuckDB only).

The portable :func:`accord.metrics.attribution.engine.transitions` orders each
journey's touches with a window (``lead`` over journey, time, code). DuckDB runs
that window several times slower than numpy sorts one int64 per touch, so file
mode packs ``journey | time | code | converted`` into one integer in SQL, sorts
the integers and counts consecutive pairs. Same order (time, ties by code),
same counts, hence the same numbers; tests compare both paths. When the parts
do not fit in 63 bits the caller falls back to the portable window.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import ibis.expr.types as ir
import numpy as np
import pyarrow as pa

from accord.metrics.attribution.markov import Transitions

CODES_VIEW = "accord_key_codes"
BINCOUNT_LIMIT = 1 << 26
# Typed touch times are naive UTC (TIMESTAMP), as DuckDB returns them.
EPOCH = datetime.fromtimestamp(0, UTC).replace(tzinfo=None)
MICROSECOND = timedelta(microseconds=1)


class InconsistentJourney(Exception):
    """Some journey's touches disagree on ``converted``; the caller names it."""


@dataclass(frozen=True)
class Layout:
    """Bit layout of a packed touch: journey | time | code | converted (lowest bit)."""

    journey: str
    time_min_us: int
    time_unit_us: int
    time_bits: int
    code_bits: int

    @property
    def time_shift(self) -> int:
        return self.code_bits + 1

    @property
    def journey_shift(self) -> int:
        return self.time_bits + self.code_bits + 1


def touch_ranges(typed: ir.Table) -> dict[str, ir.Value]:
    """Aggregates that size the packing; computed in the same scan as the input checks."""
    micros = typed.ts.microsecond()
    ranges = {
        "rows": typed.count(),
        "ts_min": typed.ts.min(),
        "ts_max": typed.ts.max(),
        "whole_seconds": (micros == 0).all(),
        "whole_milliseconds": (micros % 1000 == 0).all(),
    }
    if typed.journey_id.type().is_integer():
        ranges |= {"journey_min": typed.journey_id.min(), "journey_max": typed.journey_id.max()}
    return ranges


def packed_transitions(
    backend: object, keyed: ir.Table, keys: list[str], *, order: int, ranges: dict[str, object]
) -> Transitions | None:
    """Transition counts as :func:`engine.transitions` gives them, or None if touches don't pack.

    ``ranges`` are :func:`touch_ranges` of the touches (or of a superset).
    Raises :class:`InconsistentJourney` when a journey's ``converted`` changes.
    """
    packed = touches_packed(backend, keyed, keys, ranges=ranges, order=order)
    if packed is None:
        return None
    return packed_steps(*packed, n_keys=len(keys), order=order)


def touches_packed(
    backend: object, keyed: ir.Table, keys: list[str], *, ranges: dict[str, object], order: int
) -> tuple[np.ndarray, Layout] | None:
    """One packed int64 per touch (unsorted) and its layout; None when 63 bits are too few."""
    layout = layout_fit(ranges, n_keys=len(keys), order=order)
    if layout is None:
        return None
    con = backend.con  # the raw DuckDB connection of an Ibis DuckDB backend
    con.register(CODES_VIEW, pa.table({"key": keys, "code": np.arange(len(keys), dtype=np.int64)}))
    try:
        sql = _packed_sql(backend.compile(keyed), layout)
        packed = con.execute(sql).fetchnumpy()["k"]
    finally:
        con.unregister(CODES_VIEW)
    return np.asarray(packed, dtype=np.int64), layout


def packed_steps(packed: np.ndarray, layout: Layout, *, n_keys: int, order: int) -> Transitions:
    """Sort the packed touches in place and count their steps (numpy, releases the GIL)."""
    packed.sort()
    return _counted(packed, layout, n_keys=n_keys, order=order)


def layout_fit(ranges: dict[str, object], *, n_keys: int, order: int) -> Layout | None:
    """The narrowest layout for these ranges, or None when it needs more than 63 bits.

    The counting index (state, converted, next key) must fit in 63 bits too.
    """
    base = n_keys + 1
    if not ranges["rows"] or (2 * base**order + 2) * (base + 1) >= 1 << 63:
        return None
    whole_s, whole_ms = ranges["whole_seconds"], ranges["whole_milliseconds"]
    unit = 1_000_000 if whole_s else 1_000 if whole_ms else 1
    t_min = (ranges["ts_min"] - EPOCH) // MICROSECOND
    t_max = (ranges["ts_max"] - EPOCH) // MICROSECOND
    time_bits = ((t_max - t_min) // unit).bit_length()
    code_bits = max(1, (n_keys - 1).bit_length())
    spare = 63 - time_bits - code_bits - 1
    j_min, j_max = ranges.get("journey_min"), ranges.get("journey_max")
    if j_min is not None and (j_max - j_min).bit_length() <= spare:
        return Layout(f"(journey_id - ({j_min}))", t_min, unit, time_bits, code_bits)
    if ranges["rows"].bit_length() <= spare:  # a dense journey index by a join
        return Layout("journey_index", t_min, unit, time_bits, code_bits)
    return None


def _packed_sql(source: str, layout: Layout) -> str:
    ids = ""
    if layout.journey == "journey_index":
        ids = (
            "JOIN (SELECT journey_id, row_number() OVER () - 1 AS journey_index "
            f"FROM (SELECT DISTINCT journey_id FROM ({source}))) USING (journey_id)"
        )
    time = f"(epoch_us(ts) - ({layout.time_min_us})) // {layout.time_unit_us}"
    return f"""
        SELECT ({layout.journey}::BIGINT << {layout.journey_shift})
             | (({time}) << {layout.time_shift})
             | (code << 1) | converted::BIGINT AS k
        FROM ({source}) JOIN {CODES_VIEW} USING (key) {ids}
    """


def _counted(packed: np.ndarray, layout: Layout, *, n_keys: int, order: int) -> Transitions:
    """Counts by (state, converted, next code) from the sorted packed touches.

    ``low`` is ``2 * code + converted``; the group index packs
    (state, converted, next code + 1) in mixed radix so one bincount counts them.
    """
    low = (packed & ((1 << layout.time_shift) - 1)).astype(np.int32)
    ends = np.empty(len(packed), dtype=bool)  # last touch of its journey
    np.greater_equal(packed[1:] ^ packed[:-1], 1 << layout.journey_shift, out=ends[:-1])
    ends[-1] = True
    if (((low[1:] ^ low[:-1]) & 1).astype(bool) & ~ends[:-1]).any():
        raise InconsistentJourney
    base = n_keys + 1
    following = np.empty(len(packed), dtype=np.int32)
    following[:-1] = (low[1:] >> 1) + 1
    following[ends] = 0
    state_flag = low + 2  # 2 * (code + 1) + converted: the order-1 state and the flag
    if order > 1:
        journey = packed >> layout.journey_shift
        state_flag = _older_keys(state_flag.astype(np.int64), low >> 1, journey, order, base)
    return _grouped(state_flag * (base + 1) + following, base=base)


def _older_keys(
    state_flag: np.ndarray, code: np.ndarray, journey: np.ndarray, order: int, base: int
) -> np.ndarray:
    for lag in range(1, order):
        held = journey[lag:] == journey[:-lag]
        state_flag[lag:] += np.where(held, code[:-lag] + 1, 0) * (2 * base**lag)
    return state_flag


def _grouped(group: np.ndarray, *, base: int) -> Transitions:
    if int(group.max()) < BINCOUNT_LIMIT:
        counts = np.bincount(group)
        values = np.flatnonzero(counts)
        counts = counts[values]
    else:
        values, counts = np.unique(group, return_counts=True)
    state_flag = values // (base + 1)
    return Transitions(
        state=state_flag // 2,
        next_code=values % (base + 1) - 1,
        converted=state_flag % 2 == 1,
        touches=counts.astype(np.float64),
    )
