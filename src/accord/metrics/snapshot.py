"""Copy the canonical tables into Parquet, one folder per data version.

DuckDB cannot attach SQLite or PostgreSQL offline and allows one writer per
file, so the metric layer reads a snapshot: every canonical table streamed
out of the app database in batches (a server-side cursor on PostgreSQL,
SQLite's own stepping cursor) into ``<data dir>/metrics/snapshots/<version>/``.
The folder is written under a temporary name and renamed into place, then
the ``CURRENT`` pointer is replaced, so a reader never sees half a snapshot.

The data version is a fingerprint taken before the copy: per table the row
count and highest id, plus the latest ``updated_at`` where the table has one
(every write path of the app stamps it), or, for the small reference tables
edited in place without a stamp (people, teams, segments, MQL commitments),
a digest of their rows. The append-only logs (lead events, stage changes,
SLA marks) need only the count and highest id. Equal fingerprints mean
nothing changed, so a refresh with no new writes costs a few indexed queries.
A write that lands during the copy changes the fingerprint, and the next
refresh takes a new snapshot.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from django.apps import apps
from django.conf import settings
from django.db import connection, models

from accord.metrics.tables import CANONICAL

BATCH_ROWS = 50_000
KEEP_SNAPSHOTS = 3
MANIFEST = "manifest.json"
# Personal details no metric needs; leaving them out keeps erased people out of old copies.
PRIVATE_COLUMNS: dict[str, frozenset[str]] = {
    "contacts": frozenset({"email", "first_name", "last_name", "phone"}),
    "people": frozenset({"email", "phone"}),
}
# Appended to, never edited: the count and highest id say everything.
APPEND_ONLY = frozenset({"lead_events", "stage_changes", "sla_marks"})


@dataclass(frozen=True)
class Snapshot:
    """One copy of the canonical tables, as of ``taken_at``."""

    version: str
    taken_at: datetime
    path: Path
    rows: dict[str, int]

    def file(self, table: str) -> Path:
        return self.path / f"{table}.parquet"


def snapshots_dir() -> Path:
    return Path(settings.DATA_DIR) / "metrics" / "snapshots"


def _pointer() -> Path:
    return snapshots_dir().parent / "CURRENT"


# -- the schema: Django fields → Arrow types -------------------------------------------


def _arrow_type(field: models.Field) -> pa.DataType | None:
    """The Arrow type of a column, or None for columns metrics never read.

    JSON documents and times of day (a person's working hours) stay out: no
    metric reads them and Spark's Ibis backend has no type for a time of day.
    """
    if isinstance(field, models.JSONField | models.TimeField):
        return None
    if isinstance(field, models.BooleanField):
        return pa.bool_()
    if isinstance(field, models.DateTimeField):
        return pa.timestamp("us", tz="UTC")
    if isinstance(field, models.DateField):
        return pa.date32()
    if isinstance(field, models.DecimalField):
        return pa.decimal128(field.max_digits, field.decimal_places)
    if isinstance(field, models.FloatField):
        return pa.float64()
    if isinstance(field, models.ForeignKey | models.IntegerField | models.AutoField):
        return pa.int64()
    return pa.string()


def canonical_model(name: str) -> type[models.Model]:
    return apps.get_model(CANONICAL[name])


def canonical_schema(name: str) -> pa.Schema:
    """The Arrow schema of canonical table ``name``: the model's columns, minus private ones."""
    private = PRIVATE_COLUMNS.get(name, frozenset())
    fields = []
    for field in canonical_model(name)._meta.concrete_fields:
        kind = _arrow_type(field)
        if kind is not None and field.column not in private:
            fields.append(pa.field(field.column, kind))
    return pa.schema(fields)


# -- the fingerprint --------------------------------------------------------------------


def _scalar_rows(sql: str) -> list[tuple[object, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return list(cursor.fetchall())


def _table_fingerprint(name: str) -> str:
    model = canonical_model(name)
    table = connection.ops.quote_name(model._meta.db_table)
    pk = connection.ops.quote_name(model._meta.pk.column)
    columns = {f.column for f in model._meta.concrete_fields}
    if "updated_at" in columns:
        sql = f"SELECT COUNT(*), MAX({pk}), MAX(updated_at) FROM {table}"
    elif name in APPEND_ONLY:
        sql = f"SELECT COUNT(*), MAX({pk}) FROM {table}"
    else:
        select = ", ".join(connection.ops.quote_name(c) for c in canonical_schema(name).names)
        sql = f"SELECT {select} FROM {table} ORDER BY {pk}"
    return repr(_scalar_rows(sql))


def data_fingerprint() -> str:
    """A short hash that changes whenever a canonical table's content changes."""
    digest = hashlib.sha256()
    for name in sorted(CANONICAL):
        digest.update(f"{name}:{_table_fingerprint(name)};".encode())
    return digest.hexdigest()[:16]


# -- reading the app database in batches --------------------------------------------


def _column_array(values: list[object], kind: pa.DataType) -> pa.Array:
    # SQLite hands decimals back as floats; round them to the column's scale.
    if pa.types.is_decimal(kind) and any(isinstance(v, float | int) for v in values):
        return pc.cast(pa.array(values, pa.float64()), kind, safe=False)
    return pa.array(values, kind)


def _batches(name: str, schema: pa.Schema) -> Iterator[pa.RecordBatch]:
    model = canonical_model(name)
    select = ", ".join(connection.ops.quote_name(c) for c in schema.names)
    table = connection.ops.quote_name(model._meta.db_table)
    pk = connection.ops.quote_name(model._meta.pk.column)
    with connection.chunked_cursor() as cursor:
        cursor.execute(f"SELECT {select} FROM {table} ORDER BY {pk}")
        while rows := cursor.fetchmany(BATCH_ROWS):
            columns = list(zip(*rows, strict=True))
            arrays = [_column_array(list(c), f.type) for c, f in zip(columns, schema, strict=True)]
            yield pa.RecordBatch.from_arrays(arrays, schema=schema)


def _write_table(name: str, folder: Path) -> int:
    schema = canonical_schema(name)
    rows = 0
    with pq.ParquetWriter(folder / f"{name}.parquet", schema) as writer:
        for batch in _batches(name, schema):
            writer.write_batch(batch)
            rows += batch.num_rows
    return rows


# -- taking, finding and pruning snapshots ------------------------------------------


def _read_manifest(folder: Path) -> Snapshot:
    data = json.loads((folder / MANIFEST).read_text())
    return Snapshot(
        version=data["version"],
        taken_at=datetime.fromisoformat(data["taken_at"]),
        path=folder,
        rows=data["rows"],
    )


def snapshot_current() -> Snapshot | None:
    """The snapshot the ``CURRENT`` pointer names, or None before the first one."""
    try:
        version = _pointer().read_text().strip()
        return _read_manifest(snapshots_dir() / version)
    except (FileNotFoundError, NotADirectoryError, KeyError, ValueError):
        return None


def snapshot_complete(taken: Snapshot) -> bool:
    """Whether the snapshot holds a file for every canonical table of this version of Accord."""
    return all(taken.file(name).exists() for name in CANONICAL)


def _set_current(version: str) -> None:
    pointer = _pointer()
    temporary = pointer.with_name(f".CURRENT.{os.getpid()}")
    temporary.write_text(version)
    os.replace(temporary, pointer)


def snapshot_take(*, now: datetime | None = None) -> Snapshot:
    """Copy the canonical tables unless the data version is unchanged; return the current one."""
    version = data_fingerprint()
    current = snapshot_current()
    if current is not None and current.version == version and snapshot_complete(current):
        return current
    root = snapshots_dir()
    root.mkdir(parents=True, exist_ok=True)
    target = root / version
    if (target / MANIFEST).exists() and not snapshot_complete(_read_manifest(target)):
        shutil.rmtree(target)  # taken before a canonical table was added: copy again
    if not (target / MANIFEST).exists():
        _write_folder(target, version, now or datetime.now(UTC))
    _set_current(version)
    snapshots_prune()
    return _read_manifest(target)


def _write_folder(target: Path, version: str, taken_at: datetime) -> None:
    staging = Path(tempfile.mkdtemp(prefix=f".{version}.", dir=target.parent))
    try:
        rows = {name: _write_table(name, staging) for name in sorted(CANONICAL)}
        manifest = {"version": version, "taken_at": taken_at.isoformat(), "rows": rows}
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=2))
        try:
            staging.rename(target)
        except OSError:
            if not (target / MANIFEST).exists():  # not a concurrent refresh's finished copy
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def snapshots_prune(keep: int = KEEP_SNAPSHOTS) -> list[str]:
    """Delete all but the newest ``keep`` snapshots (never the current one); return their names.

    A few old ones stay so a query another process started on the previous
    snapshot can finish reading it.
    """
    root = snapshots_dir()
    current = snapshot_current()
    found = []
    for folder in root.iterdir():
        if folder.name.startswith(".") or not (folder / MANIFEST).exists():
            continue
        found.append(_read_manifest(folder))
    found.sort(key=lambda s: s.taken_at, reverse=True)
    removed = []
    for old in found[keep:]:
        if current is None or old.version != current.version:
            shutil.rmtree(old.path, ignore_errors=True)
            removed.append(old.version)
    return removed
