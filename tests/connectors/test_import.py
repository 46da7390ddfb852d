from __future__ import annotations

import csv
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from accord.connectors.models import ImportRun, ImportStatus
from accord.connectors.services import ImportResult, import_file
from accord.crm.choices import LeadStage
from accord.crm.models import (
    Account,
    Contact,
    ExchangeRate,
    Lead,
    Opportunity,
    OpportunityStageChange,
    Touch,
)

pytestmark = pytest.mark.django_db

SALESFORCE_ORDER = (
    "salesforce_accounts.csv",
    "salesforce_opportunities_report.csv",
    "salesforce_leads.csv",
    "salesforce_opportunity_history.csv",
    "salesforce_campaigns.csv",
    "salesforce_campaign_members.csv",
)
HUBSPOT_ORDER = ("hubspot_companies.csv", "hubspot_contacts.csv", "hubspot_deals.csv")


def counts(result: ImportResult) -> tuple[int, int, int, int, int]:
    return result.rows_read, result.created, result.updated, result.unchanged, result.invalid


def import_all(folder: Path, names: tuple[str, ...]) -> list[ImportResult]:
    results = [import_file(path=folder / name) for name in names]
    assert all(r.ok and r.applied for r in results), [r.first_errors for r in results]
    return results


def snapshot() -> list[tuple]:
    models = (Account, Contact, Lead, Opportunity, OpportunityStageChange, Touch)
    return [tuple(m.objects.order_by("pk").values_list()) for m in models]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8-sig")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def error_rows(result: ImportResult) -> list[dict[str, str]]:
    assert result.errors_path is not None
    with result.errors_path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


# ---- what a good import does -------------------------------------------------


def test_salesforce_exports_detected_and_counted(exports: Path) -> None:
    results = import_all(exports, SALESFORCE_ORDER)
    assert [(r.vendor, r.object) for r in results] == [
        ("salesforce", "Account"),
        ("salesforce", "Opportunity"),
        ("salesforce", "Lead"),
        ("salesforce", "OpportunityHistory"),
        ("salesforce", "Campaign"),
        ("salesforce", "CampaignMember"),
    ]
    assert [counts(r) for r in results] == [
        (3, 3, 0, 0, 0),
        (3, 3, 0, 0, 0),
        (4, 4, 0, 0, 0),
        (3, 3, 0, 0, 0),
        (2, 2, 0, 0, 0),
        (2, 2, 0, 0, 0),
    ]


def test_salesforce_lead_becomes_contact_and_lead(exports: Path) -> None:
    import_all(exports, SALESFORCE_ORDER[:3])
    ada = Lead.objects.get(external_id="00Q5g00000aBcDeEAK")
    assert ada.stage == LeadStage.OPPORTUNITY
    assert ada.status == "Closed - Converted"
    assert ada.lead_source == "Web"
    assert ada.created_at == datetime(2024, 3, 5, 14, 3, tzinfo=UTC)
    assert ada.opportunity_at == datetime(2024, 3, 20, tzinfo=UTC)
    assert ada.converted_opportunity.name == "Northwind - Platform rollout"
    # The converted contact's id, not the lead's, names the contact.
    assert ada.contact.external_id == "0035g00000PqRsTAAV"
    assert ada.contact.email == "ada.lovelace@northwind.example"
    assert ada.account.name == "Northwind Traders"
    stages = dict(Lead.objects.values_list("contact__first_name", "stage"))
    assert stages == {
        "Ada": LeadStage.OPPORTUNITY,
        "Grace": LeadStage.SAL,
        "Alan": LeadStage.INQUIRY,
        "Katherine": LeadStage.DISQUALIFIED,
    }


def test_leads_link_to_accounts_by_domain_but_not_free_mail(exports: Path) -> None:
    import_all(exports, SALESFORCE_ORDER[:3])
    grace = Contact.objects.get(email="grace@globex.example")
    assert grace.account.name == "Globex Corporation"
    assert Lead.objects.get(contact=grace).account == grace.account
    assert Contact.objects.get(email="alan.turing@gmail.com").account is None


def test_report_form_opportunities_with_15_char_ids_join_18_char_accounts(exports: Path) -> None:
    import_all(exports, SALESFORCE_ORDER[:2])
    won = Opportunity.objects.get(external_id="0065g00000XyZaBAAV")
    assert won.account.external_id == "0015g00000AbCdEAAV"
    assert (won.amount, won.currency, won.amount_company) == (
        Decimal("48500.00"),
        "USD",
        Decimal("48500.00"),
    )
    assert (won.is_closed, won.is_won, won.stage) == (True, True, "Closed Won")
    assert won.closed_at == datetime(2024, 4, 18, tzinfo=UTC)
    lost = Opportunity.objects.get(name="Initech - Expansion")
    assert (lost.is_closed, lost.is_won, lost.amount) == (True, False, Decimal("1234.50"))


def test_18_char_ids_after_15_char_ids_update_the_same_records(exports: Path) -> None:
    import_all(exports, SALESFORCE_ORDER[:2])
    path = exports / "salesforce_opportunities_report.csv"
    edit(path, '"0065g00000XyZaB"', '"0065G00000XYZABAAV"')  # case-folded 18-char form
    again = import_file(path=path)
    assert counts(again) == (3, 0, 0, 3, 0)
    assert Opportunity.objects.count() == 3


def test_stage_history_and_campaign_members(exports: Path) -> None:
    import_all(exports, SALESFORCE_ORDER)
    history = OpportunityStageChange.objects.filter(opportunity__name__startswith="Northwind")
    assert list(history.values_list("stage", flat=True)) == [
        "Prospecting",
        "Negotiation/Review",
        "Closed Won",
    ]
    touches = {t.contact.first_name: (t.channel, t.kind) for t in Touch.objects.all()}
    # Ada's member row names only her lead; the touch lands on her converted contact.
    assert touches == {"Ada": ("webinar", "webinar"), "Grace": ("event", "event_visit")}


def test_hubspot_exports(exports: Path) -> None:
    results = import_all(exports, HUBSPOT_ORDER)
    assert [(r.vendor, r.object) for r in results] == [
        ("hubspot", "companies"),
        ("hubspot", "contacts"),
        ("hubspot", "deals"),
    ]
    lin = Lead.objects.get(source="hubspot", external_id="51201")
    assert lin.stage == LeadStage.SQL
    assert lin.mql_at == datetime(2024, 2, 3, 9, 0, tzinfo=UTC)
    assert lin.sql_at == datetime(2024, 2, 20, 16, 45, tzinfo=UTC)
    assert lin.account.name == "Umbrella Health"  # by the associated company id
    priya = Lead.objects.get(source="hubspot", external_id="51202")
    assert (priya.stage, priya.account.external_id) == (LeadStage.MQL, "18204817011")  # domain
    assert Lead.objects.get(source="hubspot", external_id="51203").account is None
    deal = Opportunity.objects.get(source="hubspot", external_id="9012301")
    assert (deal.is_won, deal.amount_company, deal.account.name) == (
        True,
        Decimal("24000.00"),
        "Umbrella Health",
    )
    assert Account.objects.get(source="hubspot", name="Umbrella Health").country == "GB"


def test_foreign_currency_uses_the_rate_valid_on_the_close_date(exports: Path) -> None:
    import_all(exports, SALESFORCE_ORDER[:1])
    ExchangeRate.objects.create(currency="EUR", valid_from=date(2024, 1, 1), rate=Decimal("1.10"))
    ExchangeRate.objects.create(currency="EUR", valid_from=date(2024, 3, 6), rate=Decimal("1.20"))
    result = import_file(path=exports / "salesforce_opportunities_excel_de.csv")
    assert counts(result) == (2, 2, 0, 0, 0)
    munich = Opportunity.objects.get(external_id="0065g00000DeFgHAAV")
    assert munich.name == "Globex - Werk München"
    assert (munich.amount, munich.currency) == (Decimal("1234.50"), "EUR")
    assert munich.amount_company == Decimal("1357.95")  # 1,234.50 at 1.10 (closed 5 March)
    assert munich.closed_at == datetime(2024, 3, 5, tzinfo=UTC)


# ---- re-imports, updates, dry runs -------------------------------------------


def test_reimport_changes_nothing(exports: Path) -> None:
    import_all(exports, SALESFORCE_ORDER + HUBSPOT_ORDER)
    before = snapshot()
    again = import_all(exports, SALESFORCE_ORDER + HUBSPOT_ORDER)
    assert all(r.created == r.updated == r.invalid == 0 for r in again)
    assert all(r.unchanged == r.rows_read for r in again)
    assert snapshot() == before


def test_a_changed_cell_updates_one_record(exports: Path) -> None:
    import_all(exports, SALESFORCE_ORDER[:1])
    path = exports / "salesforce_accounts.csv"
    edit(path, '"5400"', '"5600"')
    assert counts(import_file(path=path)) == (3, 0, 1, 2, 0)
    assert Account.objects.get(name="Globex Corporation").employees == 5600


def test_dry_run_counts_without_writing(exports: Path) -> None:
    first = import_file(path=exports / "salesforce_accounts.csv", dry_run=True)
    assert counts(first) == (3, 3, 0, 0, 0)
    assert Account.objects.count() == 0
    import_all(exports, SALESFORCE_ORDER[:2])
    edit(exports / "salesforce_leads.csv", '"CTO"', '"Chief Technology Officer"')
    dry = import_file(path=exports / "salesforce_leads.csv", dry_run=True)
    assert counts(dry) == (4, 4, 0, 0, 0)
    assert Contact.objects.count() == Lead.objects.count() == 0
    import_file(path=exports / "salesforce_leads.csv")
    edit(exports / "salesforce_leads.csv", '"Chief Technology Officer"', '"CEO"')
    before = snapshot()
    dry = import_file(path=exports / "salesforce_leads.csv", dry_run=True)
    assert counts(dry) == (4, 0, 1, 3, 0)
    assert snapshot() == before
    assert ImportRun.objects.count() == 3  # dry runs are not logged


def test_dry_run_counts_references_to_records_the_same_file_creates(exports: Path) -> None:
    import_all(exports, SALESFORCE_ORDER[:2])
    dry = import_file(path=exports / "salesforce_leads.csv", dry_run=True)
    assert dry.invalid == 0


# ---- bad input: clear error, database unchanged --------------------------------

BAD_CELLS = [
    ('"grace@globex.example"', '"grace at globex"', 4, "EMAIL", "not an e-mail address"),
    ('"grace@globex.example"', '""', 4, "EMAIL", "a value is required"),
    ('"2024-03-06T09:30:00.000+0000"', '"06/31/2024"', 4, "CREATEDDATE", "not a date"),
    ('"00Q5g00000fGhIjEAK"', '"00Q5g-0000fGhIj"', 4, "ID", "not a Salesforce id"),
    ('"false","","","","","","2024-03-06', '"maybe","","","","","","2024-03-06', 4,
     "ISCONVERTED", "not a yes/no value"),
]  # fmt: skip


@pytest.mark.parametrize(("old", "new", "line", "column", "reason"), BAD_CELLS)
def test_one_bad_row_applies_nothing(
    exports: Path, old: str, new: str, line: int, column: str, reason: str
) -> None:
    path = exports / "salesforce_leads.csv"
    edit(path, old, new)
    result = import_file(path=path)
    assert not result.ok and not result.applied
    assert (result.invalid, result.created) == (1, 3)
    assert Contact.objects.count() == Lead.objects.count() == 0
    [row] = error_rows(result)
    assert (row["file"], row["line"], row["column"]) == ("salesforce_leads.csv", str(line), column)
    assert reason in row["reason"]
    assert ImportRun.objects.get().status == ImportStatus.REJECTED


def test_skip_invalid_applies_the_good_rows(exports: Path) -> None:
    path = exports / "salesforce_leads.csv"
    edit(path, '"grace@globex.example"', '"grace at globex"')
    result = import_file(path=path, skip_invalid=True)
    assert result.ok and result.applied
    assert counts(result) == (4, 3, 0, 0, 1)
    assert Lead.objects.count() == 3
    assert not Contact.objects.filter(first_name="Grace").exists()


def test_opportunity_without_its_account_is_a_row_error(exports: Path) -> None:
    result = import_file(path=exports / "salesforce_opportunities_report.csv")
    assert result.invalid == 3
    assert Opportunity.objects.count() == 0
    line, column, reason = result.first_errors[0]
    assert (line, column) == (2, "Account ID")
    assert "account 0015g00000AbCdEAAV is not in Accord" in reason


def test_missing_exchange_rate_is_a_row_error(exports: Path) -> None:
    import_all(exports, SALESFORCE_ORDER[:1])
    result = import_file(path=exports / "salesforce_opportunities_excel_de.csv")
    assert result.invalid == 2
    assert result.first_errors[0] == (
        2,
        "Amount",
        "no exchange rate from EUR to USD valid on 2024-03-05",
    )
    assert Opportunity.objects.count() == 0


def test_conflicting_currencies_are_a_row_error(exports: Path) -> None:
    import_all(exports, SALESFORCE_ORDER[:1])
    path = exports / "salesforce_opportunities_excel_de.csv"
    text = path.read_bytes().replace(b";EUR;05.03", b";USD;05.03")
    path.write_bytes(text)
    result = import_file(path=path, dry_run=True)
    assert result.first_errors[0][:2] == (2, "Amount")
    assert "currency differs" in result.first_errors[0][2]


def test_the_same_id_twice_in_a_file_is_a_row_error(exports: Path) -> None:
    path = exports / "salesforce_accounts.csv"
    edit(path, '"0015g00000KlMnOAAV"', '"0015g00000FgHiJ"')  # 15-char form of line 3's id
    result = import_file(path=path)
    assert result.first_errors == [(4, "Id", "the same record id again (first on line 3)")]
    assert Account.objects.count() == 0


def test_row_errors_report_the_physical_line_after_a_multiline_cell(exports: Path) -> None:
    path = exports / "salesforce_leads.csv"
    edit(path, '"kjohnson@initech.example"', '"kjohnson"')
    result = import_file(path=path)
    assert result.first_errors[0][:2] == (6, "EMAIL")


def test_unknown_file_is_rejected_whole(exports: Path, tmp_path: Path) -> None:
    path = tmp_path / "notes.csv"
    path.write_text("Topic,Notes\nQ3 plan,Ship it\n")
    result = import_file(path=path)
    assert not result.ok
    assert "does not look like any known export" in result.problem


def test_forced_format_must_match(exports: Path) -> None:
    result = import_file(path=exports / "hubspot_deals.csv", vendor="salesforce")
    assert "does not look like a salesforce export" in result.problem


def test_fixing_the_file_removes_a_stale_error_report(exports: Path) -> None:
    path = exports / "salesforce_accounts.csv"
    edit(path, '"United States"', '"Atlantis"')
    failed = import_file(path=path)
    assert failed.errors_path and failed.errors_path.exists()
    edit(path, '"Atlantis"', '"United States"')
    assert import_file(path=path).ok
    assert not failed.errors_path.exists()


def test_report_form_15_char_leads_then_data_loader_18_char_leads(exports: Path) -> None:
    import_all(exports, SALESFORCE_ORDER[:2])
    report = import_file(path=exports / "salesforce_leads_report.csv")
    assert (report.object, counts(report)) == ("Lead", (3, 3, 0, 0, 0))
    grace = Lead.objects.get(contact__first_name="Grace")
    assert grace.external_id == "00Q5g00000fGhIjEAK"
    assert grace.created_at == datetime(2024, 3, 6, 9, 30, tzinfo=UTC)
    loader = import_file(path=exports / "salesforce_leads.csv")
    assert counts(loader) == (4, 1, 0, 3, 0)  # only Ada is new
    assert Lead.objects.count() == 4


def test_a_needed_column_missing_is_named(exports: Path, tmp_path: Path) -> None:
    path = tmp_path / "leads.csv"
    path.write_text('"Id","Email","Company","Status"\n"00Q5g00000fGhIj","a@b.example","B","Open"\n')
    result = import_file(path=path)
    assert result.problem == (
        "this looks like a salesforce Lead export but lacks the column CreatedDate or Created Date"
    )


def test_excel_trailing_unnamed_columns_are_ignored(exports: Path, tmp_path: Path) -> None:
    source = (exports / "salesforce_accounts.csv").read_text()
    path = tmp_path / "accounts.csv"
    path.write_text("\n".join(line + ",," for line in source.splitlines()) + "\n")
    assert counts(import_file(path=path)) == (3, 3, 0, 0, 0)


@pytest.mark.parametrize(
    ("old", "new", "column", "reason"),
    [
        ('"CTO"', '"' + "Chief " * 30 + '"', "TITLE", "longer than 160 characters"),
        ('"Trade Show"', '"' + "x" * 81 + '"', "LEADSOURCE", "longer than 80 characters"),
    ],
)
def test_values_the_database_would_cut_are_row_errors(
    exports: Path, old: str, new: str, column: str, reason: str
) -> None:
    path = exports / "salesforce_leads.csv"
    edit(path, old, new)
    result = import_file(path=path)
    assert result.first_errors[0][:2] == (4, column)
    assert reason in result.first_errors[0][2]
    assert Lead.objects.count() == 0


def test_negative_employees_and_huge_amounts_are_row_errors(exports: Path) -> None:
    accounts = exports / "salesforce_accounts.csv"
    edit(accounts, '"5400"', '"-5"')
    assert import_file(path=accounts).first_errors == [
        (3, "NUMBEROFEMPLOYEES", "must not be negative: -5")
    ]
    edit(accounts, '"-5"', '"5400"')
    import_file(path=accounts)
    opportunities = exports / "salesforce_opportunities_report.csv"
    edit(opportunities, '"$12,000.00"', '"$120,000,000,000,000.00"')
    result = import_file(path=opportunities)
    assert result.first_errors[0][:2] == (3, "Amount")
    assert "too large an amount" in result.first_errors[0][2]


def test_data_loader_opportunity_with_its_primary_campaign(exports: Path, tmp_path: Path) -> None:
    import_all(exports, ("salesforce_accounts.csv", "salesforce_campaigns.csv"))
    path = tmp_path / "opportunities.csv"
    path.write_text(
        '"ID","ACCOUNTID","NAME","AMOUNT","STAGENAME","ISCLOSED","ISWON","CLOSEDATE",'
        '"CAMPAIGNID","CREATEDDATE"\n'
        '"0065g00000XyZaBAAV","0015g00000AbCdEAAV","Northwind - Platform rollout","48500.0",'
        '"Closed Won","true","true","2024-04-18","7015g000000AbCd","2024-03-20T10:00:00.000Z"\n'
    )
    assert counts(import_file(path=path)) == (1, 1, 0, 0, 0)
    won = Opportunity.objects.get()
    assert won.campaign.name == "Spring Product Webinar"
    assert (won.is_closed, won.is_won, won.closed_at) == (
        True,
        True,
        datetime(2024, 4, 18, tzinfo=UTC),
    )
    assert won.created_at == datetime(2024, 3, 20, 10, tzinfo=UTC)


def test_won_but_open_is_a_row_error(exports: Path, tmp_path: Path) -> None:
    import_all(exports, ("salesforce_accounts.csv",))
    path = tmp_path / "opportunities.csv"
    path.write_text(
        "Id,AccountId,Name,StageName,IsClosed,IsWon,CloseDate,CreatedDate\n"
        "0065g00000XyZaB,0015g00000AbCdE,Odd,Negotiation,false,true,2024-04-18,2024-03-20\n"
    )
    assert import_file(path=path).first_errors == [
        (2, "IsWon", "an opportunity cannot be won and still open")
    ]


def test_contact_export_updates_the_contact_a_converted_lead_made(exports: Path) -> None:
    import_all(exports, SALESFORCE_ORDER[:3])
    ada = Contact.objects.get(external_id="0035g00000PqRsTAAV")
    assert ada.phone == ""
    result = import_file(path=exports / "salesforce_contacts.csv")
    assert (result.object, counts(result)) == ("Contact", (2, 1, 1, 0, 0))
    ada.refresh_from_db()
    assert (ada.phone, ada.country, ada.account.name) == (
        "(206) 555-0142",
        "US",
        "Northwind Traders",
    )
    hedy = Contact.objects.get(first_name="Hedy")
    assert (hedy.account.name, hedy.country) == ("Globex Corporation", "DE")
