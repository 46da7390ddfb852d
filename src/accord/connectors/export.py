"""Export every record kind as CSV or Parquet, streamed in bounded memory.

CSV text cells are made spreadsheet-safe; Parquet keeps typed columns (no
formulas there to fear). Foreign keys are written as ``<name>_id``.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from django.apps import apps
from django.db import models

from accord.spreadsheet import spreadsheet_safe

CHUNK = 50_000
EXPORTABLE: dict[str, str] = {
    "people": "directory.Person",
    "teams": "directory.Team",
    "segments": "directory.Segment",
    "accounts": "crm.Account",
    "contacts": "crm.Contact",
    "campaigns": "crm.Campaign",
    "touches": "crm.Touch",
    "opportunities": "crm.Opportunity",
    "opportunity-stage-changes": "crm.OpportunityStageChange",
    "opportunity-contact-roles": "crm.OpportunityContactRole",
    "leads": "crm.Lead",
    "lead-events": "crm.LeadEvent",
    "spend": "crm.Spend",
    "exchange-rates": "crm.ExchangeRate",
    "action-items": "inbox.ActionItem",
}
UNKNOWN_KIND = "Unknown kind {kind!r}; choose one of: {choices}."
UNKNOWN_FORMAT = "Unknown format {fmt!r}; choose csv or parquet."


class ExportError(Exception):
    pass


@dataclass(frozen=True)
class ExportResult:
    kind: str
    rows: int
    path: Path


def _columns(model: type[models.Model]) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields]


def _rows(model: type[models.Model], columns: list[str]) -> Iterator[tuple[object, ...]]:
    yield from model.objects.order_by("pk").values_list(*columns).iterator(chunk_size=CHUNK)


def _cell(value: object) -> object:
    return spreadsheet_safe(value) if isinstance(value, str) else value


def _write_csv(path: Path, columns: list[str], rows: Iterator[tuple[object, ...]]) -> int:
    count = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_cell(v) for v in row])
            count += 1
    return count


def _batches(rows: Iterator[tuple[object, ...]]) -> Iterator[list[tuple[object, ...]]]:
    batch: list[tuple[object, ...]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == CHUNK:
            yield batch
            batch = []
    if batch:
        yield batch


def _write_parquet(path: Path, columns: list[str], rows: Iterator[tuple[object, ...]]) -> int:
    count, writer = 0, None
    try:
        for batch in _batches(rows):
            table = pa.Table.from_pylist([dict(zip(columns, r, strict=True)) for r in batch])
            if writer is None:
                writer = pq.ParquetWriter(path, table.schema)
            writer.write_table(table.cast(writer.schema))
            count += len(batch)
        if writer is None:
            pq.write_table(pa.table({c: pa.array([], pa.string()) for c in columns}), path)
    finally:
        if writer is not None:
            writer.close()
    return count


def export_records(*, kind: str, fmt: str, path: Path) -> ExportResult:
    if kind not in EXPORTABLE:
        raise ExportError(UNKNOWN_KIND.format(kind=kind, choices=", ".join(EXPORTABLE)))
    if fmt not in ("csv", "parquet"):
        raise ExportError(UNKNOWN_FORMAT.format(fmt=fmt))
    model = apps.get_model(EXPORTABLE[kind])
    columns = _columns(model)
    staged = path.with_name(path.name + ".partial")
    write = _write_csv if fmt == "csv" else _write_parquet
    try:
        rows = write(staged, columns, _rows(model, columns))
        staged.replace(path)
    finally:
        staged.unlink(missing_ok=True)
    return ExportResult(kind=kind, rows=rows, path=path)
