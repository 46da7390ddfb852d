"""``accord feedback-import``: load call reports and notes from a CSV file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    app.command("feedback-import")(feedback_import_command)


def feedback_import_command(
    file: Annotated[
        Path,
        typer.Argument(
            help="CSV: date, author_email, account and/or opportunity, kind, text[, competitor].",
            exists=True,
            dir_okay=False,
        ),
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check every row and count; write nothing.")
    ] = False,
) -> None:
    """Import call reports as field feedback: every row checked, then all or nothing."""
    from accord.cli.runtime import setup_django

    setup_django()
    from accord.feedback.imports import feedback_import

    try:
        with file.open(encoding="utf-8-sig", newline="") as handle:
            report = feedback_import(handle, dry_run=dry_run)
    except UnicodeDecodeError:
        typer.echo(f"error: {file} is not UTF-8 text; nothing was imported.", err=True)
        raise typer.Exit(1) from None
    for error in report.errors:
        typer.echo(f"{file.name}: {error}", err=True)
    typer.echo(report.summary, err=not report.ok)
    if not report.ok:
        raise typer.Exit(1)
