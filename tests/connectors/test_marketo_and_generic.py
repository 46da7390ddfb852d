from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from accord.connectors.services import ImportResult, import_file
from accord.crm.choices import LeadStage
from accord.crm.models import Account, Lead, Opportunity, Touch

pytestmark = pytest.mark.django_db


def test_marketo_lead_list(exports: Path) -> None:
    import_file(path=exports / "salesforce_accounts.csv")
    result = import_file(path=exports / "marketo_leads.csv")
    assert (result.vendor, result.object, result.created) == ("marketo", "leads", 2)
    mei = Lead.objects.get(source="marketo", external_id="1048576")
    assert (mei.stage, mei.score, mei.lead_source) == (LeadStage.MQL, 85, "Webinar")
    assert mei.created_at == datetime(2024, 3, 5, 14, 3, tzinfo=UTC)
    assert mei.account.name == "Globex Corporation"  # by domain, across systems
    assert Lead.objects.get(external_id="1048577").account is None  # web.de is free mail


def import_generic(exports: Path, name: str, **kwargs: bool) -> ImportResult:
    return import_file(path=exports / f"{name}.csv", mapping=exports / f"{name}.yaml", **kwargs)


def test_generic_csv_with_a_mapping(exports: Path) -> None:
    assert import_generic(exports, "generic_accounts").created == 1
    result = import_generic(exports, "generic_deals")
    assert (result.vendor, result.object, result.created) == ("generic", "opportunity", 2)
    won = Opportunity.objects.get(source="generic", external_id="EV-2024-001")
    assert (won.is_won, won.amount_company, won.account.name) == (
        True,
        Decimal("9800.00"),
        "Acme Events GmbH",
    )
    assert import_generic(exports, "generic_deals").unchanged == 2


def test_generic_parquet_with_the_same_mapping(exports: Path, tmp_path: Path) -> None:
    import_generic(exports, "generic_accounts")
    table = pa.table(
        {
            "Deal Ref": ["EV-2024-001", "EV-2024-003"],
            "Customer Ref": ["ACME-7", "ACME-7"],
            "Title": ["Acme - Trade fair bundle", "Acme - Catering"],
            "Phase": ["Closed Won", "Qualification"],
            "Value": [9800.0, None],
            "Currency": ["USD", "USD"],
            "Closed On": [datetime(2024, 4, 30).date(), None],
            "Opened On": [
                datetime(2024, 3, 11, 8, 30, tzinfo=UTC),
                datetime(2024, 5, 2, tzinfo=UTC),
            ],
        }
    )
    path = tmp_path / "deals.parquet"
    pq.write_table(table, path)
    result = import_file(path=path, mapping=exports / "generic_deals.yaml")
    assert (result.rows_read, result.created, result.invalid) == (2, 2, 0)
    assert Opportunity.objects.get(external_id="EV-2024-003").amount is None


def test_generic_parquet_row_errors_name_the_row(exports: Path, tmp_path: Path) -> None:
    import_generic(exports, "generic_accounts")
    table = pa.table(
        {
            "Customer Ref": ["A-1", "A-2"],
            "Customer": ["Fine Ltd", None],
            "Web": ["fine.example", "x.example"],
            "Opened On": ["2024-01-01", "2024-01-02"],
        }
    )
    path = tmp_path / "accounts.parquet"
    pq.write_table(table, path)
    result = import_file(path=path, mapping=exports / "generic_accounts.yaml")
    assert result.first_errors == [(3, "Customer", "a value is required")]
    assert not Account.objects.filter(source="generic", external_id="A-1").exists()


@pytest.mark.parametrize(
    ("yaml_text", "message"),
    [
        ("object: invoice\ncolumns: {id: Ref}\n", "object must be one of"),
        ("object: account\ncolumns: {id: Customer Ref}\n", "missing fields ['name', 'created']"),
        (
            "object: account\ncolumns: {id: Customer Ref, name: Customer, created: Opened On, "
            "colour: Web}\n",
            "unknown fields ['colour']",
        ),
        ("object: account\ncolumns: [1, 2]\n", "expected 'object:' and a 'columns:' table"),
        (
            "object: account\ncolumns: {id: Ref, name: Customer, created: Opened On}\n",
            "the file lacks the mapped columns: Ref",
        ),
        ("object: [unclosed\n", "cannot read the mapping"),
    ],
)
def test_mapping_mistakes_are_reported(
    exports: Path, tmp_path: Path, yaml_text: str, message: str
) -> None:
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(yaml_text)
    result = import_file(path=exports / "generic_accounts.csv", mapping=mapping)
    assert message in result.problem
    assert Account.objects.count() == 0


def test_generic_format_needs_a_mapping(exports: Path) -> None:
    result = import_file(path=exports / "generic_deals.csv", vendor="generic")
    assert "needs --mapping" in result.problem


def test_marketo_activities_become_touches(exports: Path) -> None:
    import_file(path=exports / "marketo_leads.csv")
    result = import_file(path=exports / "marketo_activities.csv")
    assert (result.vendor, result.object, result.created) == ("marketo", "activities", 3)
    touches = Touch.objects.filter(source="marketo").order_by("occurred_at")
    assert [(t.contact.first_name, t.kind, t.channel) for t in touches] == [
        ("Mei", "email_click", "email"),
        ("Mei", "form_fill", "content"),
        ("Jonas", "web_visit", "content"),
    ]
    assert import_file(path=exports / "marketo_activities.csv").unchanged == 3


def test_marketo_bookkeeping_activities_are_not_touches(exports: Path) -> None:
    import_file(path=exports / "marketo_leads.csv")
    path = exports / "marketo_activities.csv"
    path.write_text(path.read_text().replace("2024-03-06T10:15:00Z,1,", "2024-03-06T10:15:00Z,12,"))
    result = import_file(path=path)
    assert result.first_errors[0][:2] == (4, "activityTypeId")
    assert "activity type 12 is not a touch" in result.first_errors[0][2]
    assert import_file(path=path, skip_invalid=True).created == 2


def test_marketo_activity_of_an_unknown_lead_is_a_row_error(exports: Path) -> None:
    result = import_file(path=exports / "marketo_activities.csv")
    assert result.invalid == 3
    assert result.first_errors[0][:2] == (2, "leadId")
