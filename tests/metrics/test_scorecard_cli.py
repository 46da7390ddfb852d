"""``accord metrics``: the shared scorecard on the command line, and its period rules."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from accord.metrics.scorecard import PeriodError, last_full_quarter, month_add, period_parse

TODAY = date(2026, 11, 23)


def accord(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ACCORD_DATA_DIR": str(data_dir)}
    env.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "accord", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )


@pytest.mark.nodb
@pytest.mark.parametrize(
    ("today", "fiscal_start", "expected"),
    [
        (TODAY, 1, (date(2026, 7, 1), date(2026, 10, 1))),
        (date(2026, 10, 1), 1, (date(2026, 7, 1), date(2026, 10, 1))),
        (date(2026, 2, 14), 1, (date(2025, 10, 1), date(2026, 1, 1))),
        (TODAY, 2, (date(2026, 8, 1), date(2026, 11, 1))),  # quarters Feb, May, Aug, Nov
    ],
)
def test_last_full_quarter(today: date, fiscal_start: int, expected: tuple[date, date]) -> None:
    assert last_full_quarter(today, fiscal_start_month=fiscal_start) == expected


@pytest.mark.nodb
def test_month_add_crosses_years() -> None:
    assert month_add(date(2026, 11, 23), 2) == date(2027, 1, 1)
    assert month_add(date(2026, 1, 31), -1) == date(2025, 12, 1)


@pytest.mark.nodb
@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("2024-01", "2024-03", (date(2024, 1, 1), date(2024, 4, 1))),
        ("2024-05", "2024-05", (date(2024, 5, 1), date(2024, 6, 1))),
        ("2026-09", None, (date(2026, 9, 1), date(2026, 11, 1))),  # to the last full month
        (None, "2024-12", (date(2024, 10, 1), date(2025, 1, 1))),  # three months to --to
    ],
)
def test_period_from_to(start: str | None, end: str | None, expected: tuple[date, date]) -> None:
    assert period_parse(start, end, today=TODAY) == expected


@pytest.mark.nodb
@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("2024-13", None, "--from: expected a month as YYYY-MM, got '2024-13'"),
        ("2024-01", "March", "--to: expected a month as YYYY-MM, got 'March'"),
        ("2024-05", "2024-03", "--from 2024-05 is after --to 2024-03"),
    ],
)
def test_bad_periods_name_the_field(start: str, end: str | None, message: str) -> None:
    with pytest.raises(PeriodError, match=message):
        period_parse(start, end, today=TODAY)


@pytest.mark.nodb
def test_cli_prints_flat_keys_for_every_scorecard_metric(tmp_path: Path) -> None:
    result = accord("metrics", "--from", "2024-01", "--to", "2024-03", "--json", data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    card = json.loads(result.stdout)
    entry = card["conversion_mql_to_sal"]
    assert entry["value"] is None  # an empty database: nothing to divide
    assert entry["definition_version"] == 1 and entry["unit"] == "ratio"
    assert entry["data_time"].endswith("+00:00")
    assert {"sla_accept_in_time", "days_in_sal", "response_speed_lift"} <= set(card)
    assert not [key for key, e in card.items() if "error" in e]


@pytest.mark.nodb
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--from", "2024-1"), "--from: expected a month as YYYY-MM, got '2024-1'"),
        (("--segment", "Mars"), "--segment: no segment named 'Mars' (known: none)"),
    ],
)
def test_cli_bad_input_is_a_clear_error(
    tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    result = accord("metrics", *args, "--json", data_dir=tmp_path)
    assert result.returncode == 1
    assert message in result.stderr and result.stdout == ""
