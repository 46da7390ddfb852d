"""File mode: touch tables read from Parquet or CSV by an in-memory DuckDB, no database."""

from __future__ import annotations

from pathlib import Path

import ibis
import ibis.expr.types as ir

from accord.metrics.attribution.engine import attribute
from accord.metrics.attribution.models import Settings, models_parse
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
    con = ibis.duckdb.connect()
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
    return attribute(touches, models=chosen, by=by, lookback_days=lookback_days, settings=settings)
