from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from accord import __version__

pytestmark = pytest.mark.nodb


def accord(*args: str, data_dir: Path, timeout: int = 240) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ACCORD_DATA_DIR": str(data_dir)}
    env.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "accord", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
    )


def test_version_and_help(tmp_path: Path) -> None:
    assert accord("version", data_dir=tmp_path).stdout.strip() == __version__
    help_text = accord("--help", data_dir=tmp_path).stdout
    for command in ("demo", "serve", "stats", "version"):
        assert command in help_text


def test_stats_works_on_an_empty_data_directory(tmp_path: Path) -> None:
    result = accord("stats", "--json", data_dir=tmp_path / "fresh")
    assert result.returncode == 0, result.stderr
    counts = json.loads(result.stdout)
    for key in (
        "people",
        "accounts",
        "contacts",
        "leads",
        "touches",
        "opportunities",
        "campaigns",
        "spend",
    ):
        assert counts[key] == 0


def test_demo_no_serve_prints_one_login_per_role_and_fills_stats(tmp_path: Path) -> None:
    result = accord("demo", "--size", "small", "--no-serve", data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    logins = [line.split() for line in result.stdout.splitlines() if "accord-demo" in line]
    assert len(logins) == 8
    assert {line[0] for line in logins} >= {"rep", "marketer", "cro", "admin"}
    counts = json.loads(accord("stats", "--json", data_dir=tmp_path).stdout)
    assert counts["leads"] == 1_500 and counts["people"] == 40


def test_unknown_size_is_a_clear_error(tmp_path: Path) -> None:
    result = accord("demo", "--size", "huge", "--no-serve", data_dir=tmp_path)
    assert result.returncode == 1
    assert "Unknown size 'huge'" in result.stdout
