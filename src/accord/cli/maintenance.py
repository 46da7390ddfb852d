"""Backup and restore commands."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from accord.cli.runtime import setup_django


def backup(
    output: Annotated[Path, typer.Option("--output", "-o", help="The backup file to write.")],
) -> None:
    """Write a consistent, integrity-checked copy of the database."""
    setup_django()
    from accord.backup import BackupError, backup_write

    try:
        typer.echo(backup_write(output.resolve()))
    except BackupError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from exc


def restore(
    source: Annotated[Path, typer.Argument(help="A file written by `accord backup`.")],
) -> None:
    """Replace the database with a backup, after checking the backup is sound."""
    setup_django(migrate=False)
    from accord.backup import BackupError, backup_restore

    try:
        typer.echo(backup_restore(source.resolve()))
    except BackupError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from exc


def register(app: typer.Typer) -> None:
    app.command()(backup)
    app.command()(restore)
