"""File mode: touch tables read from Parquet or CSV by an in-memory DuckDB, no database.

The file is scanned a few times, each for few columns: input checks and keys,
then one packed integer per touch for the Markov counts (sorted by numpy, see
:mod:`accord.metrics.attribution.packed`), then the converting touches (a few
percent) are stored once in DuckDB and every other model reads only them.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import ibis
import ibis.expr.types as ir

from accord.metrics.attribution import expressions as ex
from accord.metrics.attribution.engine import (
    credit,
    inconsistency_raise,
    touches_prepare,
    transitions,
)
from accord.metrics.attribution.markov import Transitions
from accord.metrics.attribution.models import Settings, models_parse
from accord.metrics.attribution.packed import InconsistentJourney, packed_transitions
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
    """:func:`engine.attribute` for touches on DuckDB, with the packed Markov counts."""
    prepared = touches_prepare(touches, models=models, by=by, lookback_days=lookback_days)
    if not prepared.keys:
        return prepared.empty()
    backend = touches._find_backend()
    coded = ex.touches_coded(prepared.keyed, prepared.keys)
    steps = _steps(backend, coded, prepared.keyed, prepared.keys, order=settings.markov_order)
    converting = backend.create_table(
        f"converting_{uuid.uuid4().hex}", ex.converting_touches(coded), temp=True
    )
    return credit(converting, steps, prepared, settings=settings)


def _steps(
    backend: object, coded: ir.Table, keyed: ir.Table, keys: list[str], *, order: int
) -> Transitions:
    try:
        steps = packed_transitions(backend, keyed, keys, order=order)
    except InconsistentJourney:
        inconsistency_raise(keyed)
    if steps is None:  # touches do not fit in 63 bits: the portable window
        steps = transitions(coded, keyed, order=order, n_keys=len(keys))
    return steps
