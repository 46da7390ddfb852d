"""Import one export file: validate into staging, plan, then apply in short upserts.

1. Stream the file, parse every row and stage its items (no database writes).
2. Plan: resolve references and exchange rates, compare with the database,
   and classify each item created / updated / unchanged (still no writes).
3. Only when every row is valid (or ``skip_invalid``) and not a dry run:
   apply, one transaction per object kind, with bulk inserts and updates in
   chunks. See docs/decisions/0003-import-staging.md for what a failure in
   the middle of step 3 leaves behind.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accord.connectors.formats import Cells, Format, RowProblem, detect
from accord.connectors.mapping import MappingProblem, mapping_format
from accord.connectors.models import ImportRun, ImportStatus
from accord.connectors.planning import ImportConflict, Planner
from accord.connectors.precedence import Precedence, PrecedenceProblem
from accord.connectors.reading import (
    FileProblem,
    Record,
    RecordShapeError,
    read_layout,
    read_parquet_headers,
    read_parquet_records,
    read_records,
)
from accord.connectors.staging import CREATED, KIND_ORDER, UNCHANGED, UPDATED, Staging
from accord.spreadsheet import spreadsheet_safe

CHUNK_SIZE = 1000
ERROR_COLUMNS = ("file", "line", "column", "reason", "severity")
SHOWN_PROBLEMS = 20


@dataclass
class ImportResult:
    path: Path
    vendor: str = ""
    object: str = ""
    rows_read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    invalid: int = 0
    warnings: int = 0
    applied: bool = False
    dry_run: bool = False
    skip_invalid: bool = False
    problem: str = ""
    errors_path: Path | None = None
    run_id: int | None = None
    first_errors: list[tuple[int, str, str]] = field(default_factory=list)
    first_warnings: list[tuple[int, str, str]] = field(default_factory=list)
    details: dict[str, object] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problem and (self.invalid == 0 or self.skip_invalid)


Progress = Callable[[int], None]


def import_file(
    *,
    path: Path,
    vendor: str = "auto",
    mapping: Path | None = None,
    dry_run: bool = False,
    skip_invalid: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Validate ``path`` completely, then apply it all-or-nothing (or skip bad rows)."""
    result = ImportResult(path=path, dry_run=dry_run, skip_invalid=skip_invalid)
    run = _run_start(path, dry_run=dry_run)
    result.run_id = run.pk
    staging = Staging(Path(settings.DATA_DIR) / "staging")
    try:
        precedence = Precedence.parse(settings.ACCORD_IMPORT_PRECEDENCE)
        fmt, columns = _stage(path, vendor, mapping, staging, result, progress)
        planner = Planner(
            source=fmt.vendor,
            columns=columns,
            staging=staging,
            run_id=run.pk,
            precedence=precedence,
        )
        _plan(planner, staging, write=False)
        _collect_problems(staging, result)
        _note_details(planner, result)
        if result.invalid and not skip_invalid:
            return _finish(run, result, ImportStatus.REJECTED, staging)
        if dry_run:
            return _finish(run, result, ImportStatus.VALIDATING, staging)
        _mark(run, ImportStatus.APPLYING)
        _apply(planner, staging)
        _note_details(planner, result)
        result.applied = True
        return _finish(run, result, ImportStatus.APPLIED, staging)
    except PrecedenceProblem as exc:
        result.problem = f"the setting ACCORD_IMPORT_PRECEDENCE cannot be read: {exc}"
        return _finish(run, result, ImportStatus.REJECTED, staging)
    except (FileProblem, LookupError, UnicodeError, csv.Error, OSError) as exc:
        result.problem = str(exc)
        return _finish(run, result, ImportStatus.REJECTED, staging)
    except ImportConflict as exc:
        result.problem = f"stopped while applying, the database changed meanwhile: {exc}"
        return _finish(run, result, ImportStatus.FAILED, staging)
    except BaseException:
        _mark(run, ImportStatus.FAILED)
        raise
    finally:
        staging.close()


def _stage(
    path: Path,
    vendor: str,
    mapping: Path | None,
    staging: Staging,
    result: ImportResult,
    progress: Progress | None,
) -> tuple[Format, dict[str, str]]:
    headers, records = open_records(path)
    fmt, columns = choose_format(headers, vendor, mapping)
    result.vendor, result.object = fmt.vendor, fmt.object
    for record in records:
        result.rows_read += 1
        if isinstance(record, RecordShapeError):
            staging.problem(record.line, "", record.reason)
            continue
        try:
            staging.add(record.line, fmt.rows(Cells(record.values, columns)))
        except RowProblem as exc:
            staging.problem(record.line, exc.column, exc.reason)
        if progress and result.rows_read % CHUNK_SIZE == 0:
            progress(CHUNK_SIZE)
    return fmt, columns


def open_records(path: Path) -> tuple[tuple[str, ...], Iterator[Record | RecordShapeError]]:
    """The header and the records of a CSV or Parquet file, streamed."""
    if path.suffix.lower() == ".parquet":
        return read_parquet_headers(path), read_parquet_records(path)
    layout = read_layout(path)
    return layout.headers, read_records(path, layout)


def choose_format(
    headers: tuple[str, ...], vendor: str, mapping: Path | None = None
) -> tuple[Format, dict[str, str]]:
    """The format of a file with these headers, and each canonical column's header."""
    if mapping is None:
        if vendor == "generic":
            raise MappingProblem("--format generic needs --mapping FILE")
        return detect(headers, vendor)
    fmt = mapping_format(mapping)
    columns = fmt.match(headers)
    if columns is None:
        absent = [h for (h,) in fmt.columns.values() if h not in headers]
        raise MappingProblem(f"the file lacks the mapped columns: {', '.join(absent)}")
    return fmt, columns


def _plan(planner: Planner, staging: Staging, *, write: bool) -> None:
    for kind in KIND_ORDER:
        for chunk in staging.chunks(kind, CHUNK_SIZE):
            staging.set_actions(planner.upsert(kind, chunk, write=write))


def _apply(planner: Planner, staging: Staging) -> None:
    # One short transaction per object kind: SQLite has a single writer, and
    # each kind's references point only at kinds applied before it.
    planner.begin_pass()
    for kind in KIND_ORDER:
        with transaction.atomic():
            for chunk in staging.chunks(kind, CHUNK_SIZE):
                staging.set_actions(planner.upsert(kind, chunk, write=True))


def errors_path_for(path: Path) -> Path:
    return path.with_name(f"{path.stem}.errors.csv")


def _collect_problems(staging: Staging, result: ImportResult) -> None:
    result.invalid = staging.invalid_lines()
    result.warnings = staging.warned_lines()
    errors_path = errors_path_for(result.path)
    if not result.invalid and not result.warnings:
        errors_path.unlink(missing_ok=True)
        return
    with errors_path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(ERROR_COLUMNS)
        for problem in staging.problems():
            severity = "warning" if problem.warning else "error"
            cells = (result.path.name, problem.line, problem.column, problem.reason, severity)
            writer.writerow([spreadsheet_safe(c) if isinstance(c, str) else c for c in cells])
            shown = result.first_warnings if problem.warning else result.first_errors
            if len(shown) < SHOWN_PROBLEMS:
                shown.append((problem.line, problem.column, problem.reason))
    result.errors_path = errors_path


def _note_details(planner: Planner, result: ImportResult) -> None:
    """Records joined to another system's record, and fields precedence kept."""
    result.details = {
        "matched": [list(pair) for pair in planner.matched],
        "matched_count": planner.matched_count,
        "kept": dict(sorted(planner.kept.items())),
    }


def _count(staging: Staging, result: ImportResult) -> None:
    counts = staging.row_counts()
    result.created = counts.get(CREATED, 0)
    result.updated = counts.get(UPDATED, 0)
    result.unchanged = counts.get(UNCHANGED, 0)


def _run_start(path: Path, *, dry_run: bool) -> ImportRun:
    run = ImportRun(
        path=str(path)[:500],
        sha256=_sha256(path) if path.is_file() else "",
        status=ImportStatus.VALIDATING,
        started_at=timezone.now(),
    )
    if not dry_run:  # a dry run writes nothing, not even to the import log
        run.save()
    return run


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _mark(run: ImportRun, status: str) -> None:
    if run.pk is not None:
        ImportRun.objects.filter(pk=run.pk).update(status=status)


def _finish(run: ImportRun, result: ImportResult, status: str, staging: Staging) -> ImportResult:
    if not result.problem:
        _count(staging, result)
    if run.pk is None:
        return result
    ImportRun.objects.filter(pk=run.pk).update(
        status=status,
        vendor=result.vendor,
        object=result.object,
        rows_read=result.rows_read,
        created=result.created,
        updated=result.updated,
        unchanged=result.unchanged,
        invalid=result.invalid,
        warnings=result.warnings,
        details=result.details,
        finished_at=timezone.now(),
    )
    return result
