from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from django.utils import timezone
from typer.testing import CliRunner

from accord.cli import app
from accord.connectors.export import ExportError, export_records
from accord.crm.models import Account, Opportunity


@pytest.fixture
def records(db) -> None:
    now = timezone.now()
    risky = Account.objects.create(name='=HYPERLINK("http://evil")', created_at=now)
    Account.objects.create(name="-Minus Corp", domain="minus.example", created_at=now)
    Account.objects.create(name="Plain Co", created_at=now)
    Opportunity.objects.create(
        account=risky, name="@deal", stage="Proposal", amount=Decimal("-12.50"), created_at=now
    )


def test_csv_neutralises_formulas_but_keeps_numbers(records, tmp_path: Path) -> None:
    out = tmp_path / "accounts.csv"
    result = export_records(kind="accounts", fmt="csv", path=out)
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert result.rows == 3 == len(rows)
    assert [r["name"] for r in rows] == ['\'=HYPERLINK("http://evil")', "'-Minus Corp", "Plain Co"]
    export_records(kind="opportunities", fmt="csv", path=tmp_path / "opps.csv")
    opp = next(csv.DictReader((tmp_path / "opps.csv").open(encoding="utf-8")))
    assert opp["name"] == "'@deal" and opp["amount"] == "-12.50"
    assert opp["account_id"] == str(Account.objects.get(name__startswith="=").pk)


def test_parquet_keeps_typed_values(records, tmp_path: Path) -> None:
    out = tmp_path / "accounts.parquet"
    assert export_records(kind="accounts", fmt="parquet", path=out).rows == 3
    table = pq.read_table(out)
    assert table.column("name").to_pylist()[0] == '=HYPERLINK("http://evil")'
    assert table.num_rows == 3


def test_empty_kind_still_writes_a_readable_file(db, tmp_path: Path) -> None:
    out = tmp_path / "spend.parquet"
    assert export_records(kind="spend", fmt="parquet", path=out).rows == 0
    assert pq.read_table(out).num_rows == 0
    assert "amount_company" in pq.read_table(out).column_names


def test_unknown_kind_or_format_is_a_clear_error(db, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="Unknown kind 'deals'"):
        export_records(kind="deals", fmt="csv", path=tmp_path / "x.csv")
    with pytest.raises(ExportError, match="choose csv or parquet"):
        export_records(kind="leads", fmt="xlsx", path=tmp_path / "x.xlsx")
    assert not list(tmp_path.iterdir())


def test_cli_export(records, tmp_path: Path) -> None:
    out = tmp_path / "a.csv"
    result = CliRunner().invoke(app, ["export", "accounts", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "Exported 3 accounts" in result.output
    bad = CliRunner().invoke(app, ["export", "nope", "-o", str(out)])
    assert bad.exit_code == 1
