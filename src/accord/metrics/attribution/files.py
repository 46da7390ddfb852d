"""File mode: touch tables read from Parquet or CSV by an in-memory DuckDB, no database.

The file is scanned a few times, each for few columns: input checks and keys,
then one packed integer per touch for the Markov counts (sorted by numpy, see
:mod:`accord.metrics.attribution.packed`), then the converting touches (a few
percent) are stored once in DuckDB and every other model reads only them.
"""

from __future__ import annotations

import uuid
from concurrent.futures import Future, ThreadPoolExecutor
from functools import partial
from pathlib import Path

import ibis
import ibis.expr.types as ir

from accord.metrics.attribution import expressions as ex
from accord.metrics.attribution.engine import (
    Prepared,
    credit,
    inconsistency_raise,
    touches_prepare,
    transitions,
)
from accord.metrics.attribution.markov import Transitions
from accord.metrics.attribution.models import Settings, models_parse
from accord.metrics.attribution.packed import (
    InconsistentJourney,
    packed_steps,
    touch_ranges,
    touches_packed,
)
from accord.metrics.attribution.result import Attribution, AttributionInputError, Credit

FILE_MISSING = "file not found: {path}"
FILE_KIND = "unsupported file type {suffix!r}: use .parquet or .csv"
FILE_UNREADABLE = "cannot read {path}: {reason}"
READERS = {".parquet": "read_parquet", ".pq": "read_parquet", ".csv": "read_csv"}


def touches_read(path: Path) -> ir.Table | None:
    """The touches of ``path`` as an Ibis table, or None for an empty file."""
    if not path.is_file():
        raise AttributionInputError(FILE_MISSING.format(path=path))
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise AttributionInputError(FILE_KIND.format(suffix=path.suffix))
    if path.stat().st_size == 0:
        return None
    con = ibis.duckdb.connect(threads=2, preserve_insertion_order=False)
    try:
        return getattr(con, reader)(path, table_name="touches")
    except Exception as exc:  # DuckDB names the offending line; pass it on without a traceback
        raise AttributionInputError(FILE_UNREADABLE.format(path=path, reason=exc)) from exc


def file_attribute(
    path: Path,
    *,
    models: str = "all",
    by: str = "channel",
    lookback_days: float | None = None,
    half_life_days: float = 7.0,
    markov_order: int = 1,
) -> Attribution:
    """Read, check and credit a touch file; every input problem is an AttributionInputError."""
    chosen = models_parse(models)
    settings = Settings(half_life_days=half_life_days, markov_order=markov_order)
    touches = touches_read(path)
    if touches is None:
        return Attribution(0, 0.0, 0.0, by, {m: Credit({}, {}) for m in chosen})
    return duckdb_attribute(
        touches, models=chosen, by=by, lookback_days=lookback_days, settings=settings
    )


def duckdb_attribute(
    touches: ir.Table,
    *,
    models: tuple[str, ...],
    by: str,
    lookback_days: float | None,
    settings: Settings,
) -> Attribution:
    """:func:`engine.attribute` for touches on DuckDB, with the packed Markov counts.

    numpy sorts and counts the packed touches in a second thread while DuckDB
    stores the converting touches and credits them.
    """
    prepared = touches_prepare(
        touches, models=models, by=by, lookback_days=lookback_days, profile=touch_ranges
    )
    if not prepared.keys:
        return prepared.empty()
    backend = touches._find_backend()
    coded = ex.touches_coded(prepared.keyed, prepared.keys)
    n_keys, order = len(prepared.keys), settings.markov_order
    packed = touches_packed(
        backend, prepared.keyed, prepared.keys, ranges=prepared.profile, order=order
    )
    with ThreadPoolExecutor(max_workers=1) as pool:
        counting = None
        if packed is not None:
            counting = pool.submit(packed_steps, *packed, n_keys=n_keys, order=order)
        del packed
        converting = backend.create_table(
            f"converting_{uuid.uuid4().hex}", ex.converting_touches(coded), temp=True
        )
        steps = partial(_steps, counting, coded, prepared, order=order)
        return credit(converting, steps, prepared, settings=settings)


def _steps(
    counting: Future[Transitions] | None, coded: ir.Table, prepared: Prepared, *, order: int
) -> Transitions:
    if counting is None:  # touches do not fit in 63 bits: the portable window
        return transitions(coded, prepared.keyed, order=order, n_keys=len(prepared.keys))
    try:
        return counting.result()
    except InconsistentJourney:
        inconsistency_raise(prepared.keyed)
