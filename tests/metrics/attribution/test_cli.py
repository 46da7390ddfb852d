"""``accord attribution`` on files: output, and clear errors with exit code 1."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest
import typer
from typer.testing import CliRunner

from accord.metrics.cli import register
from tests.metrics.attribution.helpers import touch_table
from tests.metrics.attribution.test_hand_computed import ROWS

pytestmark = pytest.mark.nodb

app = typer.Typer()
register(app)
app.command("noop", hidden=True)(lambda: None)  # a second command keeps "attribution" a subcommand


def invoke(*args: str):
    return CliRunner().invoke(app, ["attribution", *map(str, args)], env={"COLUMNS": "200"})


@pytest.fixture
def parquet(tmp_path: Path) -> Path:
    path = tmp_path / "touches.parquet"
    pq.write_table(touch_table(ROWS), path)
    return path


def write_csv(tmp_path: Path, rows: list[tuple], drop: tuple[str, ...] = ()) -> Path:
    path = tmp_path / "touches.csv"
    pacsv.write_csv(touch_table(rows).drop_columns(list(drop)), path)
    return path


def test_json_output(parquet: Path) -> None:
    result = invoke("--input", parquet, "--json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert (payload["journeys"], payload["conversions"], payload["value"]) == (4, 3, 160)
    assert payload["models"]["first"]["conversions"]["email"] == 2
    assert set(payload["models"]) == {
        "first", "last", "last_non_direct", "linear", "time_decay", "position", "w_shaped",
        "full_path", "j_shaped", "inverse_j", "markov", "shapley",
    }  # fmt: skip


def test_table_output_and_csv_input(tmp_path: Path) -> None:
    result = invoke("--input", write_csv(tmp_path, ROWS), "--model", "linear")
    assert result.exit_code == 0, result.output
    assert "Credit in conversions" in result.output
    assert "webinar" in result.output


def test_milestone_models_skip_with_a_note(tmp_path: Path) -> None:
    path = write_csv(tmp_path, ROWS, drop=("milestone",))
    result = invoke("--input", path, "--model", "w_shaped,linear", "--json")
    payload = json.loads(result.output)
    assert set(payload["models"]) == {"linear"}
    assert "milestone" in payload["skipped"]["w_shaped"]


def test_empty_files_give_zero_journeys(tmp_path: Path) -> None:
    empty_parquet = tmp_path / "empty.parquet"
    pq.write_table(touch_table([]), empty_parquet)
    header_only = write_csv(tmp_path, [])
    blank = tmp_path / "blank.csv"
    blank.write_text("")
    for path in (empty_parquet, header_only, blank):
        result = invoke("--input", path, "--json", "--model", "linear")
        assert result.exit_code == 0, result.output
        assert json.loads(result.output)["journeys"] == 0


BAD_ROWS = {
    "converted": [("A", 0, "email", True, 5), ("A", 1, "search", False, 5)],
    "value": [("A", 0, "email", True, 5), ("A", 1, "search", True, 6)],
    "channel": [("A", 0, None, True, 5)],
    "negative": [("A", 0, "email", True, -5)],
}


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("converted", "column 'converted' differs between touches of journey 'A'"),
        ("value", "column 'value' differs between touches of journey 'A'"),
        ("channel", "column 'channel' is empty on a touch of journey 'A'"),
        ("negative", "column 'value' is negative (-5.0) on journey 'A'"),
    ],
)
def test_bad_rows_are_named(tmp_path: Path, case: str, message: str) -> None:
    result = invoke("--input", write_csv(tmp_path, BAD_ROWS[case]))
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--input", "nowhere.parquet"), "file not found"),
        (("--input", "touches.xlsx"), "unsupported file type '.xlsx'"),
        (("--model", "magic"), "unknown model magic"),
        (("--by", "campaign"), "needs a 'campaign' column"),
    ],
)
def test_usage_errors(tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    (tmp_path / "touches.xlsx").write_text("x")
    path = write_csv(tmp_path, ROWS, drop=("campaign",))
    full = ("--input", str(path), *args) if args[0] != "--input" else args
    full = tuple(str(tmp_path / a) if a.endswith((".parquet", ".xlsx")) else a for a in full)
    result = invoke(*full)
    assert result.exit_code == 1
    assert message in result.output


def test_missing_column_is_named(tmp_path: Path) -> None:
    result = invoke("--input", write_csv(tmp_path, ROWS, drop=("converted",)))
    assert result.exit_code == 1
    assert "missing required column 'converted'" in result.output


def test_file_mode_never_imports_django(parquet: Path) -> None:
    code = (
        "import sys; from accord.cli import app\n"
        "try:\n    app(sys.argv[1:])\nexcept SystemExit as e:\n    assert not e.code, e.code\n"
        "assert not any(m == 'django' or m.startswith('django.') for m in sys.modules), 'django'\n"
    )
    args = ["attribution", "--input", str(parquet), "--model", "linear", "--json"]
    src = str(Path(__file__).parents[3] / "src")
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": src, "PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["journeys"] == 4
