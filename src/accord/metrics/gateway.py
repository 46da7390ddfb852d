"""The one way to get a metric's numbers: ``run(metric_key, query)``.

``run`` resolves the definition version in force (signed by both sides, or
the code's version 1), picks the engine, looks the result up in the cache and
otherwise computes it. Engines:

- ``"duckdb"`` (the default): the current Parquet snapshot of the canonical
  tables, read by an in-memory DuckDB; data time is when the snapshot was taken.
- ``"postgres"``: the app database itself through ``ibis.postgres``, when it is
  PostgreSQL; the data version is fingerprinted live and data time is now.
- any :class:`Source`: canonical tables on another Ibis backend (Spark, a
  warehouse, memtables in tests).

Results are cached in the app database (:class:`~accord.metrics.models.CachedResult`)
by (metric, query, definition version, data version): every web worker and
the CLI share one cache that survives restarts, and a new snapshot or a newly
signed version makes a new key, so a stale number is never served.
"""

from __future__ import annotations

import hashlib
import json
import math
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time
from decimal import Decimal
from types import MappingProxyType
from typing import Any

import ibis
import ibis.expr.types as ir
import pyarrow as pa
from django.db import IntegrityError, connection, transaction

from accord.metrics import snapshot as snapshots
from accord.metrics.registry import MetricDef, MetricQuery, metric_get
from accord.metrics.tables import CANONICAL, Tables

ENGINES = ("duckdb", "postgres")
UNKNOWN_ENGINE = "Unknown engine {engine!r}: use one of " + ", ".join(ENGINES) + "."
NOT_POSTGRES = "The postgres engine reads the app database, which is not PostgreSQL here."


@dataclass(frozen=True)
class Source:
    """Canonical tables on one engine, with the version and time of the data they hold."""

    engine: str
    tables: Tables
    data_version: str
    data_time: datetime
    close: Callable[[], None] | None = None  # for a connection opened for one run

    def execute(self, expr: ir.Table) -> pa.Table:
        return expr.to_pyarrow()


@dataclass(frozen=True)
class MetricResult:
    """A metric's rows (one per group; one row when ungrouped) and where they came from."""

    metric: str
    name: str
    unit: str
    query: MetricQuery
    rows: list[dict[str, Any]]
    definition_version: int
    data_version: str
    data_time: datetime
    computed_at: datetime
    engine: str
    from_cache: bool = False

    @property
    def value(self) -> float | None:
        """The single value of an ungrouped result (None when there is nothing to divide)."""
        if self.query.by is not None or len(self.rows) != 1:
            return None
        return self.rows[0].get("value")

    def as_dict(self) -> dict[str, Any]:
        return {
            "metric": self.metric,
            "value": self.value,
            "rows": self.rows,
            "unit": self.unit,
            "definition_version": self.definition_version,
            "data_version": self.data_version,
            "data_time": self.data_time.isoformat(),
            "computed_at": self.computed_at.isoformat(),
        }


# -- the definition in force ------------------------------------------------------------


@dataclass(frozen=True)
class InForce:
    version: int
    parameters: Mapping[str, object]


def definition_in_force(mdef: MetricDef) -> InForce:
    """The newest version both sides signed, or the code's version 1 with its defaults."""
    from accord.metrics.models import MetricVersion

    signed = (
        MetricVersion.objects.filter(metric_key=mdef.key, in_force_from__isnull=False)
        .order_by("-version")
        .first()
    )
    if signed is None:
        return InForce(1, mdef.defaults)
    return InForce(signed.version, MappingProxyType({**mdef.defaults, **signed.parameters}))


# -- computing ----------------------------------------------------------------------------


def _plain(value: object) -> object:
    """One cell as JSON-friendly Python: floats, ints, strings, ISO dates."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return value


def _sort_key(row: dict[str, Any]) -> tuple[tuple[bool, str], ...]:
    return tuple((v is None, str(v)) for k, v in row.items() if k != "value")


def rows_from_arrow(table: pa.Table) -> list[dict[str, Any]]:
    """Rows as plain dicts in a fixed order, so every engine gives the same list."""
    rows = [{k: _plain(v) for k, v in row.items()} for row in table.to_pylist()]
    return sorted(rows, key=_sort_key)


def metric_rows(mdef: MetricDef, source: Source, query: MetricQuery) -> list[dict[str, Any]]:
    """Build the metric's expression on ``source`` and execute it there."""
    if query.by is not None and query.by not in mdef.breakdowns:
        known = ", ".join(mdef.breakdowns) or "none"
        raise ValueError(f"{mdef.key} cannot be broken down by {query.by!r} (it offers: {known})")
    return rows_from_arrow(source.execute(mdef.compute(source.tables, query)))


# -- sources ------------------------------------------------------------------------------

_local = threading.local()


def _duckdb_tables(snapshot: snapshots.Snapshot) -> Tables:
    """Views over the snapshot's Parquet files on this thread's in-memory DuckDB."""
    cached = getattr(_local, "duckdb", None)
    if cached is not None and cached[0] == snapshot.path:
        return cached[1]
    if cached is not None:
        cached[2].disconnect()
    con = ibis.duckdb.connect()
    con.raw_sql("SET TimeZone = 'UTC'")
    tables = Tables(
        {name: con.read_parquet(snapshot.file(name), table_name=name) for name in CANONICAL}
    )
    _local.duckdb = (snapshot.path, tables, con)
    return tables


def source_snapshot() -> Source:
    """The current snapshot on DuckDB.

    The first call on a fresh data directory takes one, and so does a call
    after an upgrade added a canonical table the current snapshot lacks.
    """
    current = snapshots.snapshot_current()
    if current is None or not snapshots.snapshot_complete(current):
        current = snapshots.snapshot_take()
    return Source("duckdb", _duckdb_tables(current), current.version, current.taken_at)


def postgres_connect() -> Any:
    """An Ibis connection to the app database (PostgreSQL), in UTC."""
    settings = connection.settings_dict
    con = ibis.postgres.connect(
        host=settings["HOST"] or None,
        port=int(settings["PORT"]) if settings["PORT"] else None,
        user=settings["USER"] or None,
        password=settings["PASSWORD"] or None,
        database=settings["NAME"],
    )
    con.raw_sql("SET TIME ZONE 'UTC'")
    return con


def source_database() -> Source:
    """The app database itself, on PostgreSQL; the private columns stay out of reach."""
    if connection.vendor != "postgresql":
        raise ValueError(NOT_POSTGRES)
    con = postgres_connect()
    by_name = {}
    for name in CANONICAL:
        table = con.table(snapshots.canonical_model(name)._meta.db_table)
        by_name[name] = table.select(*snapshots.canonical_schema(name).names)
    fingerprint = snapshots.data_fingerprint()
    return Source("postgres", Tables(by_name), fingerprint, datetime.now(UTC), con.disconnect)


def source_for(engine: str | Source | None) -> Source:
    if isinstance(engine, Source):
        return engine
    if engine in (None, "duckdb"):
        return source_snapshot()
    if engine == "postgres":
        return source_database()
    raise ValueError(UNKNOWN_ENGINE.format(engine=engine))


# -- the cache -----------------------------------------------------------------------------


def query_key(query: MetricQuery) -> str:
    """A stable hash of the query (period, segment, breakdown and every option)."""
    parts = [query.start, query.end, query.segment, query.by, sorted(query.options.items())]
    return hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()[:32]


def _cache_get(key: str, qkey: str, version: int, data_version: str) -> dict[str, Any] | None:
    from accord.metrics.models import CachedResult

    row = CachedResult.objects.filter(
        metric_key=key, query_key=qkey, definition_version=version, data_version=data_version
    ).first()
    return None if row is None else {"payload": row.payload, "computed_at": row.computed_at}


def _cache_put(result: MetricResult, qkey: str) -> None:
    from accord.metrics.models import CachedResult

    try:
        with transaction.atomic():
            CachedResult.objects.create(
                metric_key=result.metric,
                query_key=qkey,
                definition_version=result.definition_version,
                data_version=result.data_version,
                payload={"rows": result.rows},
                computed_at=result.computed_at,
            )
    except IntegrityError:
        pass  # another worker stored the same result first: same key, same numbers


def cache_prune(*, keep_versions: set[str]) -> int:
    """Delete cached results of data versions no longer kept; return how many went."""
    from accord.metrics.models import CachedResult

    deleted, _ = CachedResult.objects.exclude(data_version__in=keep_versions).delete()
    return deleted


# -- the gateway ---------------------------------------------------------------------------


def run(
    metric_key: str,
    query: MetricQuery,
    *,
    engine: str | Source | None = None,
    use_cache: bool = True,
) -> MetricResult:
    """Compute metric ``metric_key`` for ``query`` with the definition in force.

    The options of the version in force are merged under the caller's own,
    so an explicit option wins and is part of the cache key.
    """
    mdef = metric_get(metric_key)
    in_force = definition_in_force(mdef)
    query = replace(query, options=MappingProxyType({**in_force.parameters, **query.options}))
    source = source_for(engine)
    try:
        return _run_on(mdef, query, in_force.version, source, use_cache=use_cache)
    finally:
        if source.close is not None and not isinstance(engine, Source):
            source.close()  # a connection opened for this run only


def _run_on(
    mdef: MetricDef, query: MetricQuery, version: int, source: Source, *, use_cache: bool
) -> MetricResult:
    qkey = query_key(query)
    base = {
        "metric": mdef.key,
        "name": mdef.name,
        "unit": mdef.unit,
        "query": query,
        "definition_version": version,
        "data_version": source.data_version,
        "data_time": source.data_time,
        "engine": source.engine,
    }
    if use_cache:
        hit = _cache_get(mdef.key, qkey, version, source.data_version)
        if hit is not None:
            rows = hit["payload"]["rows"]
            return MetricResult(rows=rows, computed_at=hit["computed_at"], from_cache=True, **base)
    result = MetricResult(
        rows=metric_rows(mdef, source, query), computed_at=datetime.now(UTC), **base
    )
    if use_cache:
        _cache_put(result, qkey)
    return result
