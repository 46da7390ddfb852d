"""Import in the browser: keep an uploaded export, preview it, dry-run it, apply it.

The page is a thin front to :func:`accord.connectors.services.import_file`;
this module only adds what a browser needs around it: the file is written to
``<data dir>/imports/<random folder>/`` (never held in memory), the preview
reads the first rows through the same detection and row parsing as the
import, and applying an upload is claimed once, so a double-clicked or
retried "Apply" never runs the file twice. Uploads leave the disk when they
are applied (the error report stays), discarded, or a week old.
"""

from __future__ import annotations

import re
import shutil
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from itertools import islice
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone

from accord.connectors.formats import Cells, RowProblem
from accord.connectors.mapping import MappingProblem
from accord.connectors.models import ImportUpload, UploadStatus
from accord.connectors.reading import FileProblem, RecordShapeError
from accord.connectors.services import (
    ImportResult,
    choose_format,
    errors_path_for,
    import_file,
    open_records,
)
from accord.directory.models import Person

SUFFIXES = (".csv", ".txt", ".tsv", ".parquet")
KEEP_FOR = timedelta(days=7)
PREVIEW_ROWS = 10
TOO_LARGE = "The file is {size:,} bytes; the import page accepts up to {limit:,} bytes."
WRONG_KIND = "Upload a CSV or Parquet export (.csv, .txt, .tsv or .parquet), not {name!r}."
EMPTY = "The file is empty."
GONE = "This upload was {status}; upload the file again to import it."


class UploadProblem(ValueError):
    """An upload the page refuses; the message says why."""


@dataclass
class PreviewRow:
    line: int
    items: list[tuple[str, str, list[tuple[str, str]]]] = field(default_factory=list)
    problem: str = ""


@dataclass
class Preview:
    vendor: str = ""
    object: str = ""
    mapping: list[tuple[str, str]] = field(default_factory=list)  # header → Accord field
    rows: list[PreviewRow] = field(default_factory=list)
    problem: str = ""


def upload_limit() -> int:
    return settings.ACCORD_IMPORT_MAX_UPLOAD_BYTES


def upload_store(
    *, name: str, size: int, chunks: Iterable[bytes], person: Person | None, vendor: str = "auto"
) -> ImportUpload:
    """Write an uploaded file under the data directory and record it."""
    if size > upload_limit():
        raise UploadProblem(TOO_LARGE.format(size=size, limit=upload_limit()))
    if not size:
        raise UploadProblem(EMPTY)
    safe = _safe_name(name)
    uploads_clean()
    folder = _root() / uuid.uuid4().hex
    folder.mkdir(parents=True)
    with (folder / safe).open("wb") as handle:
        for chunk in chunks:
            handle.write(chunk)
    upload = ImportUpload.objects.create(
        file_name=name[:255],
        stored_as=str((folder / safe).relative_to(settings.DATA_DIR)),
        size=size,
        format_choice=vendor,
        uploaded_by=person,
        uploaded_at=timezone.now(),
    )
    preview = upload_preview(upload, rows=0)
    upload.vendor = f"{preview.vendor} {preview.object}".strip()
    upload.save(update_fields=["vendor"])
    return upload


def upload_path(upload: ImportUpload) -> Path:
    return Path(settings.DATA_DIR) / upload.stored_as


def upload_errors_path(upload: ImportUpload) -> Path | None:
    """The error report of the last dry run or apply, when it had problems."""
    path = errors_path_for(upload_path(upload))
    return path if path.is_file() else None


def upload_preview(upload: ImportUpload, *, rows: int = PREVIEW_ROWS) -> Preview:
    """The detected format, the column mapping and the first rows as the import reads them."""
    path = upload_path(upload)
    if not path.is_file():
        return Preview(problem=GONE.format(status=upload.get_status_display().lower()))
    try:
        headers, records = open_records(path)
        fmt, columns = choose_format(headers, upload.format_choice)
    except (FileProblem, LookupError, UnicodeError, MappingProblem, OSError) as exc:
        return Preview(problem=str(exc))
    by_header = {header: name for name, header in columns.items()}
    preview = Preview(fmt.vendor, fmt.object, [(h, _label(by_header.get(h, ""))) for h in headers])
    preview.rows = [_preview_row(fmt.rows, r, columns) for r in islice(records, rows)]
    return preview


def upload_dry_run(upload: ImportUpload) -> ImportResult:
    """Validate and count without writing; the counts stay on the upload for the page."""
    _require_file(upload)
    result = import_file(path=upload_path(upload), vendor=upload.format_choice, dry_run=True)
    upload.dry_run = _counts(result)
    upload.save(update_fields=["dry_run"])
    return result


def upload_apply(upload: ImportUpload, *, skip_invalid: bool = False) -> ImportUpload:
    """Apply the file once; a second request for the same upload changes nothing."""
    claimable = [UploadStatus.READY, UploadStatus.REJECTED]
    claimed = ImportUpload.objects.filter(pk=upload.pk, status__in=claimable)
    if not claimed.update(status=UploadStatus.APPLYING):
        upload.refresh_from_db()
        return upload
    try:
        _require_file(upload)
        result = import_file(
            path=upload_path(upload), vendor=upload.format_choice, skip_invalid=skip_invalid
        )
    except BaseException:
        ImportUpload.objects.filter(pk=upload.pk).update(status=UploadStatus.READY)
        raise
    upload.status = UploadStatus.APPLIED if result.applied else UploadStatus.REJECTED
    upload.run_id = result.run_id
    upload.dry_run = _counts(result)
    upload.save(update_fields=["status", "run", "dry_run"])
    if result.applied:  # the data is in Accord now; keep only the error report
        upload_path(upload).unlink(missing_ok=True)
    return upload


def upload_discard(upload: ImportUpload) -> None:
    if upload.status == UploadStatus.APPLYING:
        return
    shutil.rmtree(upload_path(upload).parent, ignore_errors=True)
    if upload.status != UploadStatus.APPLIED:
        upload.status = UploadStatus.DISCARDED
        upload.save(update_fields=["status"])


def uploads_clean() -> int:
    """Remove the files of uploads older than a week; returns how many were removed."""
    old = ImportUpload.objects.filter(uploaded_at__lt=timezone.now() - KEEP_FOR).exclude(
        status__in=[UploadStatus.APPLYING, UploadStatus.DISCARDED]
    )
    removed = 0
    for upload in old:
        if upload_path(upload).parent.exists():
            removed += 1
        upload_discard(upload)
    return removed


def _root() -> Path:
    return Path(settings.DATA_DIR) / "imports"


def _safe_name(name: str) -> str:
    base = Path(name.replace("\\", "/")).name
    if not base.lower().endswith(SUFFIXES):
        raise UploadProblem(WRONG_KIND.format(name=base))
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "_", base).lstrip(".")
    return cleaned[-120:] or "export.csv"


def _require_file(upload: ImportUpload) -> None:
    if not upload_path(upload).is_file():
        raise UploadProblem(GONE.format(status=upload.get_status_display().lower()))


def _label(name: str) -> str:
    return name.replace("_", " ") if name else ""


def _preview_row(rows: Any, record: Any, columns: dict[str, str]) -> PreviewRow:
    if isinstance(record, RecordShapeError):
        return PreviewRow(record.line, problem=record.reason)
    row = PreviewRow(record.line)
    try:
        items = rows(Cells(record.values, columns))
    except RowProblem as exc:
        row.problem = f"{exc.column}: {exc.reason}" if exc.column else exc.reason
        return row
    for item in items:
        shown = [(_label(k), _shown(v)) for k, v in item.fields.items() if v not in (None, "")]
        row.items.append((item.kind.replace("_", " "), item.external_id, shown))
    return row


def _shown(value: Any) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _counts(result: ImportResult) -> dict[str, Any]:
    return {
        "rows_read": result.rows_read,
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
        "invalid": result.invalid,
        "warnings": result.warnings,
        "problem": result.problem,
        "errors": [list(e) for e in result.first_errors],
        "warning_rows": [list(w) for w in result.first_warnings],
        "applied": result.applied,
        "dry_run": result.dry_run,
    }
