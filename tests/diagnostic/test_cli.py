from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord.cli import app
from tests.diagnostic.helpers import KEYS, csv_write

pytestmark = pytest.mark.nodb
runner = CliRunner()


def _good_rows() -> list[tuple[str, list[int | str]]]:
    return [("sales", [2] * 20)] * 5 + [("marketing", [3] * 20)] * 5 + [("other", [4] * 20)] * 2


def test_score_json_with_complementary_suppression(tmp_path: Path) -> None:
    path = csv_write(tmp_path / "answers.csv", _good_rows())
    result = runner.invoke(app, ["survey", "score", str(path), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["respondents"] == 12
    assert data["score"] == pytest.approx((5 * 40 + 5 * 60 + 2 * 80) / 12, abs=0.01)
    assert data["type"] == "defined"
    # "other" has 2; to stop overall minus one team revealing it, one more team hides.
    assert data["teams"]["other"] == {"suppressed": True}
    # Sales and marketing tie at 5; the tie breaks on the name, so marketing hides.
    assert data["teams"]["marketing"] == {"suppressed": True}
    assert data["teams"]["sales"]["n"] == 5
    assert data["teams"]["sales"]["type"] == "defined"
    assert data["gap"] is None
    assert data["themes"]["planning"]["teams"] == {"sales": 40.0}


def test_score_json_two_teams_gives_gap(tmp_path: Path) -> None:
    path = csv_write(tmp_path / "answers.csv", _good_rows()[:10])
    data = json.loads(runner.invoke(app, ["survey", "score", str(path), "--json"]).output)
    assert data["teams"]["sales"] == {
        "n": 5,
        "score": 40.0,
        "type": "defined",
        "themes": dict.fromkeys(
            [
                "data_language",
                "communication",
                "planning",
                "field_work",
                "metrics_rewards",
                "structure_culture",
            ],
            40.0,
        ),
    }
    assert data["gap"] == 20.0
    assert data["themes"]["communication"]["gap"] == 20.0


def test_two_teams_one_small_hides_both_keeps_overall(tmp_path: Path) -> None:
    rows = [("sales", [2] * 20)] * 6 + [("marketing", [3] * 20)] * 3
    path = csv_write(tmp_path / "answers.csv", rows)
    data = json.loads(runner.invoke(app, ["survey", "score", str(path), "--json"]).output)
    assert data["teams"] == {"sales": {"suppressed": True}, "marketing": {"suppressed": True}}
    assert data["score"] == pytest.approx(46.67, abs=0.01)


@pytest.mark.parametrize(
    ("bad", "message"),
    [(6, "q7 is '6'"), ("", "q7 is missing"), ("x", "q7 is 'x'"), (0, "q7 is '0'")],
)
def test_bad_row_names_its_line_and_nothing_is_scored(
    tmp_path: Path, bad: int | str, message: str
) -> None:
    answers: list[int | str] = [3] * 20
    answers[6] = bad
    rows = _good_rows()
    rows.insert(3, ("sales", answers))  # header is line 1, so this row is line 5
    path = csv_write(tmp_path / "answers.csv", rows)
    result = runner.invoke(app, ["survey", "score", str(path), "--json"])
    assert result.exit_code == 1
    assert f"line 5: {message}" in result.output
    assert "nothing was scored" in result.output
    assert "respondents" not in result.output and "Traceback" not in result.output


def test_line_numbers_count_physical_lines(tmp_path: Path) -> None:
    header = "team,role," + ",".join(KEYS) + ",comment"
    good = "sales,sales," + ",".join(["3"] * 20) + ',"two\nlines"'
    bad = "marketing,marketing," + ",".join(["3"] * 19) + ",9,"
    path = tmp_path / "answers.csv"
    path.write_text(f"{header}\n{good}\n{bad}\n", encoding="utf-8")
    result = runner.invoke(app, ["survey", "score", str(path)])
    assert result.exit_code == 1
    assert "line 4: q20 is '9'" in result.output


def test_unknown_team_and_missing_column(tmp_path: Path) -> None:
    path = csv_write(tmp_path / "a.csv", [("finance", [3] * 20)])
    assert "line 2: team is 'finance'" in runner.invoke(app, ["survey", "score", str(path)]).output
    path.write_text("team,q1\nsales,3\n", encoding="utf-8")
    result = runner.invoke(app, ["survey", "score", str(path)])
    assert result.exit_code == 1 and "missing column(s) q2" in result.output


def test_table_output(tmp_path: Path) -> None:
    path = csv_write(tmp_path / "answers.csv", _good_rows()[:10])
    result = runner.invoke(app, ["survey", "score", str(path)])
    assert result.exit_code == 0
    assert "Defined" in result.output and "Data and language" in result.output


def test_file_mode_does_not_start_django(tmp_path: Path) -> None:
    import subprocess
    import sys

    path = csv_write(tmp_path / "answers.csv", _good_rows())
    code = (
        "import sys; from accord.cli import app\n"
        f"try: app(['survey', 'score', {str(path)!r}, '--json'])\n"
        "except SystemExit: pass\n"
        "assert 'django.db.models' not in sys.modules, 'Django was imported'\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
