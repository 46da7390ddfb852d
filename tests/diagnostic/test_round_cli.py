from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

# The CLI runs in its own process on its own SQLite data directory.
pytestmark = pytest.mark.nodb


def _accord(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ACCORD_DATA_DIR": str(data_dir)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DATABASE_URL", None)
    code = "from accord.cli import main; main()"
    return subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, timeout=120
    )


def test_round_create_invite_remind_close(tmp_path: Path) -> None:
    made = _accord(
        "survey",
        "round-create",
        "Q1",
        "--opens",
        "2026-01-01",
        "--closes",
        "2026-12-31",
        data_dir=tmp_path,
    )
    assert made.returncode == 0, made.stderr
    assert made.stdout.startswith("round 1: Q1 (2026.1)")
    invited = _accord(
        "survey", "invite", "1", "--all", "--base-url", "https://a.test", data_dir=tmp_path
    )
    assert invited.returncode == 0, invited.stderr
    assert "0 invited" in invited.stderr
    bad = _accord(
        "survey",
        "round-create",
        "X",
        "--opens",
        "2026-02-01",
        "--closes",
        "2026-01-01",
        data_dir=tmp_path,
    )
    assert bad.returncode == 1 and "close on or after" in bad.stderr
    assert _accord("survey", "close", "1", data_dir=tmp_path).stdout.strip() == "round 1 closed"
    late = _accord("survey", "remind", "1", data_dir=tmp_path)
    assert late.returncode == 1 and "closed" in late.stderr
    missing = _accord("survey", "close", "9", data_dir=tmp_path)
    assert missing.returncode == 1 and "no survey round 9" in missing.stderr
