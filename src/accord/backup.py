"""Backups of the app database: SQLite's online backup, pg_dump/pg_restore on PostgreSQL.

A backup is checked before it is written out, and a restore checks the file
before it touches the live database, so a broken file never replaces good data.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from pathlib import Path

from django.db import connection

from accord.audit.services import audited_file_step

NOT_A_BACKUP = "{path} is not an Accord backup: {reason}"
NO_TOOL = (
    "{tool} is not installed; install the PostgreSQL client tools "
    "(e.g. apt-get install postgresql-client)."
)


class BackupError(Exception):
    pass


@audited_file_step("backup")
def backup_write(target: Path) -> str:
    """Write a consistent copy of the database to ``target``; returns a one-line summary."""
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        return _sqlite_backup(target)
    if connection.vendor == "postgresql":
        return _pg_dump(target)
    raise BackupError(f"Backups are not supported on {connection.vendor}.")


@audited_file_step("restore")
def backup_restore(source: Path) -> str:
    if not source.is_file():
        raise BackupError(f"No such file: {source}")
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        return _sqlite_restore(source)
    if connection.vendor == "postgresql":
        return _pg_restore(source)
    raise BackupError(f"Restores are not supported on {connection.vendor}.")


def _sqlite_check(path: Path) -> int:
    """Integrity-check an SQLite file that must hold Accord's tables; returns its table count."""
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
            verdict = db.execute("PRAGMA integrity_check").fetchone()[0]
            names = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    except sqlite3.DatabaseError as exc:
        raise BackupError(NOT_A_BACKUP.format(path=path, reason=exc)) from exc
    if verdict != "ok":
        raise BackupError(NOT_A_BACKUP.format(path=path, reason=f"integrity check says {verdict}"))
    if not {"django_migrations", "crm_lead", "directory_person"} <= names:
        raise BackupError(NOT_A_BACKUP.format(path=path, reason="Accord's tables are missing"))
    return len(names)


def _sqlite_backup(target: Path) -> str:
    with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
        staged = Path(tmp) / "backup.sqlite3"
        with sqlite3.connect(staged) as dest:
            connection.connection.backup(dest)
        tables = _sqlite_check(staged)
        staged.replace(target)
    return f"Backed up {tables} tables to {target} ({target.stat().st_size:,} bytes), integrity ok."


def _sqlite_restore(source: Path) -> str:
    tables = _sqlite_check(source)
    with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as src:
        src.backup(connection.connection)
    connection.close()
    return f"Restored {tables} tables from {source}."


def _pg_args() -> list[str]:
    s = connection.settings_dict
    args = ["-h", s["HOST"] or "127.0.0.1", "-U", s["USER"] or "postgres", "-d", s["NAME"]]
    if s["PORT"]:
        args += ["-p", str(s["PORT"])]
    return args


def _run(tool: str, *args: str) -> subprocess.CompletedProcess[str]:
    if shutil.which(tool) is None:
        raise BackupError(NO_TOOL.format(tool=tool))
    env = {"PGPASSWORD": connection.settings_dict.get("PASSWORD") or ""}
    result = subprocess.run([tool, *args], capture_output=True, text=True, env=_env(env))
    if result.returncode != 0:
        raise BackupError(f"{tool} failed: {result.stderr.strip()}")
    return result


def _env(extra: dict[str, str]) -> dict[str, str]:
    return {**os.environ, **{k: v for k, v in extra.items() if v}}


def _pg_dump(target: Path) -> str:
    staged = target.with_suffix(target.suffix + ".partial")
    _run("pg_dump", "--format=custom", "--no-owner", "-f", str(staged), *_pg_args())
    entries = _pg_check(staged)
    staged.replace(target)
    return f"Backed up {entries} objects to {target} ({target.stat().st_size:,} bytes), archive ok."


def _pg_check(path: Path) -> int:
    try:
        listing = _run("pg_restore", "--list", str(path)).stdout
    except BackupError as exc:
        raise BackupError(NOT_A_BACKUP.format(path=path, reason=exc)) from exc
    if "crm_lead" not in listing:
        raise BackupError(NOT_A_BACKUP.format(path=path, reason="Accord's tables are missing"))
    return sum(1 for line in listing.splitlines() if line and not line.startswith(";"))


def _pg_restore(source: Path) -> str:
    entries = _pg_check(source)
    connection.close()
    _run(
        "pg_restore",
        "--clean",
        "--if-exists",
        "--no-owner",
        "--single-transaction",
        *_pg_args(),
        str(source),
    )
    return f"Restored {entries} objects from {source}."
