"""``accord import``: read CRM and marketing exports into the shared database."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from rich.progress import Progress

    from accord.connectors.services import ImportResult


class Vendor(StrEnum):
    AUTO = "auto"
    SALESFORCE = "salesforce"
    HUBSPOT = "hubspot"
    MARKETO = "marketo"
    GENERIC = "generic"


def register(app: typer.Typer) -> None:
    app.command("import")(import_command)
    app.command("export")(export_command)


def import_command(
    paths: Annotated[
        list[Path], typer.Argument(help="Export files (CSV or Parquet).", exists=True)
    ],
    format: Annotated[Vendor, typer.Option("--format", help="The exporting system.")] = (
        Vendor.AUTO
    ),
    mapping: Annotated[
        Path | None,
        typer.Option("--mapping", help="YAML mapping for a generic file.", exists=True),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Validate and count; write nothing.")
    ] = False,
    skip_invalid: Annotated[
        bool, typer.Option("--skip-invalid", help="Apply the valid rows, skip the others.")
    ] = False,
) -> None:
    """Import exports: each file is validated completely, then applied all-or-nothing."""
    from accord.cli.runtime import setup_django

    setup_django()
    from accord.connectors.services import import_file

    failed = False
    for path in paths:
        with _progress_bar() as bar:
            task = bar.add_task(f"checking {path.name}", total=None)
            result = import_file(
                path=path,
                vendor=format.value,
                mapping=mapping,
                dry_run=dry_run,
                skip_invalid=skip_invalid,
                progress=lambda rows, task=task: bar.advance(task, rows),
            )
        typer.echo(_summary(result))
        failed = failed or not result.ok
    raise typer.Exit(1 if failed else 0)


def _progress_bar() -> Progress:
    import sys

    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}: {task.completed:,} rows read"),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
        disable=not sys.stderr.isatty(),
    )


def _summary(result: ImportResult) -> str:
    name = result.path.name
    if result.problem:
        return f"{name}: not imported: {result.problem}"
    lines = [
        f"{name}: {result.vendor} {result.object}, {result.rows_read} rows read, "
        f"{result.created} created, {result.updated} updated, {result.unchanged} unchanged, "
        f"{result.invalid} invalid"
        + (f", {result.warnings} with warnings" if result.warnings else "")
    ]
    lines += [
        f"  line {line}, column {col or '-'}: {why}" for line, col, why in result.first_errors
    ]
    lines += [
        f"  warning: line {line}, column {col or '-'}: {why}"
        for line, col, why in result.first_warnings
    ]
    if result.errors_path:
        lines.append(f"  all problems: {result.errors_path}")
    lines.append(f"  {_outcome(result)}")
    return "\n".join(lines)


def _outcome(result: ImportResult) -> str:
    if result.invalid and not result.skip_invalid:
        return "nothing applied: fix the rows above or use --skip-invalid"
    skipped = f"; skipped {result.invalid} invalid rows" if result.invalid else ""
    return ("dry run: nothing written" if result.dry_run else "applied") + skipped


def export_command(
    kind: Annotated[str, typer.Argument(help="What to export, e.g. leads, touches, accounts.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="The file to write.")],
    fmt: Annotated[str, typer.Option("--format", help="csv or parquet.")] = "csv",
) -> None:
    """Export one kind of record as CSV (spreadsheet-safe) or Parquet."""
    from accord.cli.runtime import setup_django

    setup_django()
    from accord.connectors.export import ExportError, export_records

    try:
        result = export_records(kind=kind, fmt=fmt, path=output.resolve())
    except ExportError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from exc
    typer.echo(f"Exported {result.rows:,} {result.kind} to {result.path}")
