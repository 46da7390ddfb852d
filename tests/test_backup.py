"""Backup and restore round trips on SQLite and PostgreSQL, through the real CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

pytestmark = pytest.mark.nodb
PG = "postgres://postgres@127.0.0.1:5432/{name}"


def accord(*args: str, env: dict[str, str], check: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "accord", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    if check:
        assert result.returncode == 0, result.stdout + result.stderr
    return result


def stats(env: dict[str, str]) -> dict[str, int]:
    return json.loads(accord("stats", "--json", env=env).stdout)


def round_trip(env: dict[str, str], tmp_path: Path) -> None:
    accord("demo", "--size", "small", "--no-serve", env=env)
    before = stats(env)
    backup = tmp_path / "accord.backup"
    assert accord("backup", "-o", str(backup), env=env).stdout.strip().endswith("ok.")
    subprocess.run(
        [sys.executable, "-m", "django", "flush", "--no-input", "--settings", "accord.settings"],
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )
    assert stats(env)["leads"] == 0
    assert "Restored" in accord("restore", str(backup), env=env).stdout
    assert stats(env) == before


def test_sqlite_round_trip_and_refusals(tmp_path: Path) -> None:
    env = {**os.environ, "ACCORD_DATA_DIR": str(tmp_path / "data")}
    env.pop("DATABASE_URL", None)
    round_trip(env, tmp_path)
    junk = tmp_path / "junk.backup"
    junk.write_bytes(b"definitely not a database" * 100)
    before = stats(env)
    result = accord("restore", str(junk), env=env, check=False)
    assert result.returncode == 1 and "is not an Accord backup" in result.stderr
    assert stats(env) == before  # nothing was touched


@pytest.fixture
def pg_database() -> str:
    psycopg = pytest.importorskip("psycopg")
    name = f"accord_backup_{uuid.uuid4().hex[:8]}"
    try:
        admin = psycopg.connect("host=127.0.0.1 user=postgres dbname=postgres", autocommit=True)
    except psycopg.OperationalError as exc:
        pytest.skip(f"PostgreSQL is not reachable at 127.0.0.1:5432: {exc}")
    admin.execute(f'CREATE DATABASE "{name}"')
    yield name
    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def test_postgres_round_trip(tmp_path: Path, pg_database: str) -> None:
    env = {
        **os.environ,
        "ACCORD_DATA_DIR": str(tmp_path / "data"),
        "DATABASE_URL": PG.format(name=pg_database),
    }
    round_trip(env, tmp_path)
