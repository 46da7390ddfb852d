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

import ibis.expr.types as ir
import numpy as np
import pyarrow as pa

from accord.metrics.attribution.markov import Transitions

CODES_VIEW = "accord_key_codes"
BINCOUNT_LIMIT = 1 << 26
UNITS_US = (1_000_000, 1_000, 1)  # seconds, milliseconds, microseconds


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


def packed_transitions(
    backend: object, keyed: ir.Table, keys: list[str], *, order: int
) -> Transitions | None:
    """Transition counts as :func:`engine.transitions` gives them, or None if touches don't pack.

    Raises :class:`InconsistentJourney` when a journey's ``converted`` changes;
    the caller names the journey.
    """
    con = backend.con  # the raw DuckDB connection of an Ibis DuckDB backend
    source = backend.compile(keyed)
    integer_ids = keyed.journey_id.type().is_integer()
    layout = _layout(con, source, n_keys=len(keys), integer_ids=integer_ids)
    if layout is None:
        return None
    con.register(CODES_VIEW, pa.table({"key": keys, "code": np.arange(len(keys), dtype=np.int64)}))
    try:
        packed = con.execute(_packed_sql(source, layout)).fetchnumpy()["k"]
    finally:
        con.unregister(CODES_VIEW)
    packed = np.asarray(packed, dtype=np.int64)
    packed.sort()
    return _counted(packed, layout, n_keys=len(keys), order=order)


def _layout(con: object, source: str, *, n_keys: int, integer_ids: bool) -> Layout | None:
    # Integer journey ids pack as they are; any other type gets a dense index by a join.
    ids = "min(journey_id), max(journey_id)" if integer_ids else "NULL, NULL"
    row = con.execute(
        f"""SELECT count(*), min(epoch_us(ts)), max(epoch_us(ts)),
                   bool_and(epoch_us(ts) % 1000000 = 0), bool_and(epoch_us(ts) % 1000 = 0),
                   {ids}
            FROM ({source})"""
    ).fetchall()[0]
    rows, t_min, t_max, whole_s, whole_ms, j_min, j_max = row
    if not rows:
        return None
    unit = UNITS_US[0] if whole_s else UNITS_US[1] if whole_ms else UNITS_US[2]
    time_bits = ((t_max - t_min) // unit).bit_length()
    code_bits = max(1, (n_keys - 1).bit_length())
    spare = 63 - time_bits - code_bits - 1
    if j_min is not None and (j_max - j_min).bit_length() <= spare:
        return Layout(f"(journey_id - {j_min})", t_min, unit, time_bits, code_bits)
    if rows.bit_length() <= spare:
        return Layout("journey_index", t_min, unit, time_bits, code_bits)
    return None


def _packed_sql(source: str, layout: Layout) -> str:
    journey = layout.journey
    ids = ""
    if journey == "journey_index":
        ids = (
            "JOIN (SELECT journey_id, row_number() OVER () - 1 AS journey_index "
            f"FROM (SELECT DISTINCT journey_id FROM ({source}))) USING (journey_id)"
        )
    time = f"(epoch_us(ts) - {layout.time_min_us}) // {layout.time_unit_us}"
    return f"""
        SELECT ({journey}::BIGINT << {layout.journey_shift})
             | (({time}) << {layout.time_shift})
             | (code << 1) | converted::BIGINT AS k
        FROM ({source}) JOIN {CODES_VIEW} USING (key) {ids}
    """


def _counted(packed: np.ndarray, layout: Layout, *, n_keys: int, order: int) -> Transitions:
    """Counts by (state, converted, next code) from the sorted packed touches."""
    journey = packed >> layout.journey_shift
    same = journey[1:] == journey[:-1]
    flag = (packed & 1).astype(np.int8)
    if (same & (flag[1:] != flag[:-1])).any():
        raise InconsistentJourney
    code = ((packed >> 1) & ((1 << layout.code_bits) - 1)).astype(np.int64)
    base = n_keys + 1
    state = code + 1
    for lag in range(1, order):
        held = np.zeros(len(code), dtype=bool)
        held[lag:] = journey[lag:] == journey[:-lag]
        state[lag:] += np.where(held[lag:], code[:-lag] + 1, 0) * base**lag
    following = np.full(len(code), -1, dtype=np.int64)
    following[:-1] = np.where(same, code[1:], -1)
    group = (state * 2 + flag) * (base + 1) + following + 1
    return _grouped(group, base=base)


def _grouped(group: np.ndarray, *, base: int) -> Transitions:
    if int(group.max()) < BINCOUNT_LIMIT:
        counts = np.bincount(group)
        values = np.flatnonzero(counts)
        counts = counts[values]
    else:
        values, counts = np.unique(group, return_counts=True)
    following = values % (base + 1) - 1
    state_flag = values // (base + 1)
    return Transitions(
        state=state_flag // 2,
        next_code=following,
        converted=state_flag % 2 == 1,
        touches=counts.astype(np.float64),
    )


class InconsistentJourney(Exception):
    """Some journey's touches disagree on ``converted``; the caller names it."""
