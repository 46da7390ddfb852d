from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord.cli import app
from accord.crm.models import Account, Contact, Lead

pytestmark = pytest.mark.django_db
runner = CliRunner()


def run(*args: str | Path) -> tuple[int, str]:
    result = runner.invoke(app, ["import", *map(str, args)])
    return result.exit_code, result.output


def test_import_prints_one_summary_per_file(exports: Path) -> None:
    code, output = run(exports / "salesforce_accounts.csv", exports / "hubspot_companies.csv")
    assert code == 0, output
    assert (
        "salesforce_accounts.csv: salesforce Account, 3 rows read, 3 created, 0 updated, "
        "0 unchanged, 0 invalid" in output
    )
    assert "hubspot_companies.csv: hubspot companies, 2 rows read, 2 created" in output
    assert Account.objects.count() == 5


def test_second_run_reports_all_unchanged(exports: Path) -> None:
    run(exports / "salesforce_accounts.csv")
    code, output = run(exports / "salesforce_accounts.csv")
    assert code == 0
    assert "3 rows read, 0 created, 0 updated, 3 unchanged, 0 invalid" in output


def test_dry_run_writes_nothing(exports: Path) -> None:
    code, output = run(exports / "salesforce_leads.csv", "--dry-run")
    assert code == 0, output
    assert "4 created" in output and "dry run: nothing written" in output
    assert Lead.objects.count() == 0


def test_bad_row_exits_1_with_line_column_and_reason(exports: Path) -> None:
    path = exports / "salesforce_leads.csv"
    path.write_text(path.read_text().replace("grace@globex.example", "grace(at)globex"))
    code, output = run(path)
    assert code == 1
    assert "line 4, column EMAIL: not an e-mail address: 'grace(at)globex'" in output
    assert "nothing applied" in output
    assert str(exports / "salesforce_leads.errors.csv") in output
    assert Contact.objects.count() == 0


def test_skip_invalid_says_how_many_were_skipped(exports: Path) -> None:
    path = exports / "salesforce_leads.csv"
    path.write_text(path.read_text().replace("grace@globex.example", "grace(at)globex"))
    code, output = run(path, "--skip-invalid")
    assert code == 0, output
    assert "3 created, 0 updated, 0 unchanged, 1 invalid" in output
    assert "applied; skipped 1 invalid rows" in output
    assert Lead.objects.count() == 3


def test_forced_format(exports: Path) -> None:
    code, output = run(exports / "salesforce_accounts.csv", "--format", "hubspot")
    assert code == 1
    assert "not imported: the header does not look like a hubspot export" in output


def test_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    code, _ = run(tmp_path / "nope.csv")
    assert code == 2


def test_each_run_is_counted_in_stats(exports: Path) -> None:
    from accord.stats import record_counts

    run(exports / "salesforce_accounts.csv")
    run(exports / "salesforce_accounts.csv", "--dry-run")  # a dry run writes nothing
    run(exports / "salesforce_accounts.csv")
    assert record_counts()["imports"] == 2


def test_unknown_owners_are_warnings_that_do_not_stop_the_file(exports: Path) -> None:
    code, output = run(exports / "hubspot_companies.csv")
    assert code == 0, output
    assert "2 rows read, 2 created, 0 updated, 0 unchanged, 0 invalid, 2 with warnings" in output
    assert (
        "  warning: line 2, column Company owner: owner 'Dana Reyes' is not a person in Accord"
        in output
    )
    assert str(exports / "hubspot_companies.errors.csv") in output
    assert "  applied" in output
