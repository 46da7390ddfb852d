"""``accord feedback-import FILE [--dry-run]``."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from accord.cli import app
from accord.feedback.models import Feedback

runner = CliRunner()
HEADER = "date,author_email,account,kind,text\n"


def run(*args: str | Path) -> tuple[int, str]:
    result = runner.invoke(app, ["feedback-import", *map(str, args)])
    return result.exit_code, result.output


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "calls.csv"
    path.write_bytes(("\ufeff" + HEADER + body).encode())  # Excel's byte-order mark too
    return path


def test_import_dry_run_and_re_import(tmp_path, cast, ground) -> None:
    path = write(tmp_path, "2026-10-02,rep@example.com,ACC-1,need,Needs an onboarding plan\n")
    assert run(path, "--dry-run") == (0, "1 rows: would add 1, 0 already there.\n")
    assert not Feedback.objects.exists()
    assert run(path) == (0, "1 rows: added 1, 0 already there.\n")
    assert run(path) == (0, "1 rows: added 0, 1 already there.\n")
    assert Feedback.objects.count() == 1


def test_a_bad_file_exits_1_naming_each_line(tmp_path, cast, ground) -> None:
    path = write(
        tmp_path,
        "2026-10-02,rep@example.com,ACC-1,need,Needs an onboarding plan\n"
        "2026-10-02,rep@example.com,ACC-9,need,Unknown account here\n",
    )
    code, output = run(path)
    assert code == 1
    assert "calls.csv: line 3, account: no account with external id or name 'ACC-9'" in output
    assert "1 problem(s) in 2 rows; nothing was imported." in output
    assert not Feedback.objects.exists()


def test_a_file_that_is_not_utf8_is_refused(tmp_path, db) -> None:
    path = tmp_path / "calls.csv"
    path.write_bytes(b"date,author_email\n\xff\xfe\n")
    code, output = run(path)
    assert code == 1 and "is not UTF-8 text" in output
