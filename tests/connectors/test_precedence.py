"""Two systems, one contact: matching by e-mail, field precedence and provenance."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client

from accord.connectors.models import ImportRun
from accord.connectors.precedence import MOST_RECENT, Precedence, PrecedenceProblem, Rule
from accord.connectors.services import ImportResult, import_file
from accord.crm import provenance
from accord.crm.models import Contact, Lead, SourceLink
from tests.conftest import Cast, login

HUBSPOT_HEADER = (
    '"Record ID","First Name","Last Name","Email","Phone Number","Job Title",'
    '"Lifecycle Stage","Lead Status","Create Date"\n'
)
HUBSPOT_ROWS = (
    '"61001","Grace","Hopper","GRACE@globex.example","+1 555 0100",'
    '"Chief Technology Officer","Sales Qualified Lead","In Progress","2024-03-01 08:00"\n'
    '"61002","Joan","Clarke","joan@bletchley.example","","Cryptanalyst","Lead","New",'
    '"2024-03-02 09:00"\n'
)


def counts(result: ImportResult) -> tuple[int, int, int, int]:
    return result.created, result.updated, result.unchanged, result.invalid


@pytest.fixture
def hubspot_contacts(tmp_path: Path) -> Path:
    path = tmp_path / "hubspot_contacts_export.csv"
    path.write_text(HUBSPOT_HEADER + HUBSPOT_ROWS, encoding="utf-8")
    return path


def grace() -> Contact:
    return Contact.objects.get(email="grace@globex.example")


@pytest.mark.nodb
def test_the_most_specific_rule_applies() -> None:
    rules = Precedence.parse(
        "contact.title=hubspot>salesforce; contact.*=salesforce>hubspot; *.owner=recent; *=marketo"
    )
    assert rules.rule_for("contact", "title") == Rule(("hubspot", "salesforce"))
    assert rules.rule_for("contact", "phone") == Rule(("salesforce", "hubspot"))
    assert rules.rule_for("contact", "owner") == Rule(("salesforce", "hubspot"))
    assert rules.rule_for("lead", "owner") == MOST_RECENT
    assert rules.rule_for("account", "name") == Rule(("marketo",))
    assert Precedence.parse("").rule_for("contact", "title") == MOST_RECENT


@pytest.mark.nodb
def test_a_source_wins_over_itself_and_later_ones_only() -> None:
    rule = Rule(("salesforce", "hubspot"))
    assert rule.wins(incoming="salesforce", holder="hubspot")
    assert not rule.wins(incoming="hubspot", holder="salesforce")
    assert rule.wins(incoming="hubspot", holder="hubspot")
    assert rule.wins(incoming="hubspot", holder="marketo")  # unnamed systems come last
    assert not rule.wins(incoming="marketo", holder="hubspot")
    assert MOST_RECENT.wins(incoming="marketo", holder="salesforce")


@pytest.mark.nodb
@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("contact.title", "'contact.title': write KIND.FIELD=SOURCE>SOURCE or =recent"),
        ("title=hubspot", "'title': name a record kind and field, e.g. contact.title"),
        ("contact.title=hubspot>pipedrive", "unknown source pipedrive; use accord, demo"),
    ],
)
def test_a_bad_rule_is_named(setting: str, message: str) -> None:
    with pytest.raises(PrecedenceProblem) as problem:
        Precedence.parse(setting)
    assert message in str(problem.value)


@pytest.mark.django_db
def test_a_bad_setting_stops_the_import_before_it_reads(exports: Path, settings) -> None:
    settings.ACCORD_IMPORT_PRECEDENCE = "contact.title=hubspot>pipedrive"
    result = import_file(path=exports / "salesforce_accounts.csv")
    assert not result.ok
    assert result.problem.startswith("the setting ACCORD_IMPORT_PRECEDENCE cannot be read:")


@pytest.mark.django_db
def test_a_contact_from_two_systems_is_one_record_and_the_latest_wins(
    exports: Path, hubspot_contacts: Path
) -> None:
    first = import_file(path=exports / "salesforce_leads.csv")
    assert counts(first) == (4, 0, 0, 0)
    salesforce_run = first.run_id
    contact = grace()

    second = import_file(path=hubspot_contacts)
    assert counts(second) == (2, 0, 0, 0)  # each row adds a HubSpot lead; Grace's contact joins
    assert Contact.objects.count() == 5
    contact.refresh_from_db()
    assert (contact.title, contact.phone, contact.source) == (
        "Chief Technology Officer",
        "+1 555 0100",
        "salesforce",
    )
    assert contact.created_at.isoformat() == "2024-03-06T09:30:00+00:00"  # the first system's
    assert contact.provenance == {
        "*": ["salesforce", salesforce_run],
        "title": ["hubspot", second.run_id],
        "phone": ["hubspot", second.run_id],
    }
    link = SourceLink.objects.get()
    assert (link.kind, link.record_id, link.source, link.external_id) == (
        "contact",
        contact.pk,
        "hubspot",
        "61001",
    )
    # HubSpot's own funnel record for Grace points at the shared contact.
    assert Lead.objects.get(source="hubspot", external_id="61001").contact_id == contact.pk
    assert ImportRun.objects.get(pk=second.run_id).details == {
        "matched": [["contact", contact.pk]],
        "matched_count": 1,
        "kept": {},
    }

    assert counts(import_file(path=hubspot_contacts)) == (0, 0, 2, 0)

    # Salesforce again: its title comes back (most recent wins); its empty
    # phone does not blank the number HubSpot gave.
    third = import_file(path=exports / "salesforce_leads.csv")
    assert counts(third) == (0, 1, 3, 0)
    contact.refresh_from_db()
    assert (contact.title, contact.phone) == ("CTO", "+1 555 0100")
    assert contact.provenance["title"] == ["salesforce", third.run_id]
    assert provenance.holder(contact, "phone") == "hubspot"
    assert provenance.holder(contact, "email") == "salesforce"


@pytest.mark.django_db
def test_a_named_order_keeps_the_first_systems_value(
    exports: Path, hubspot_contacts: Path, settings
) -> None:
    settings.ACCORD_IMPORT_PRECEDENCE = "contact.*=salesforce>hubspot"
    import_file(path=exports / "salesforce_leads.csv")
    result = import_file(path=hubspot_contacts)
    assert counts(result) == (2, 0, 0, 0)
    contact = grace()
    assert (contact.title, contact.phone) == ("CTO", "+1 555 0100")  # kept; an empty one filled
    assert result.details["kept"] == {"contact.title": 1}
    assert ImportRun.objects.get(pk=result.run_id).details["kept"] == {"contact.title": 1}

    settings.ACCORD_IMPORT_PRECEDENCE = "contact.title=hubspot>salesforce"
    assert counts(import_file(path=hubspot_contacts)) == (0, 1, 1, 0)
    assert grace().title == "Chief Technology Officer"
    again = import_file(path=exports / "salesforce_leads.csv")
    assert counts(again) == (0, 0, 4, 0)
    assert again.details["kept"] == {"contact.title": 1}
    assert grace().title == "Chief Technology Officer"


@pytest.mark.django_db
def test_a_dry_run_matches_without_writing(exports: Path, hubspot_contacts: Path) -> None:
    import_file(path=exports / "salesforce_leads.csv")
    result = import_file(path=hubspot_contacts, dry_run=True)
    assert counts(result) == (2, 0, 0, 0)
    assert result.details["matched_count"] == 1
    assert grace().title == "CTO"
    assert SourceLink.objects.count() == 0


@pytest.mark.django_db
def test_the_record_page_shows_where_each_field_came_from(
    client: Client, cast: Cast, exports: Path, hubspot_contacts: Path
) -> None:
    first = import_file(path=exports / "salesforce_leads.csv")
    second = import_file(path=hubspot_contacts)
    login(client, cast.marketing_manager)
    run_page = client.get(f"/import/runs/{second.run_id}/").content.decode()
    assert f'href="/import/records/contact/{grace().pk}/"' in run_page
    page = client.get(f"/import/records/contact/{grace().pk}/").content.decode()
    assert (
        "<tr><td>Title</td><td>Chief Technology Officer</td><td>hubspot</td>"
        f'<td><a href="/import/runs/{second.run_id}/">run {second.run_id}</a></td></tr>'
    ) in page
    assert (
        "<tr><td>Email</td><td>grace@globex.example</td><td>salesforce</td>"
        f'<td><a href="/import/runs/{first.run_id}/">run {first.run_id}</a></td></tr>'
    ) in page
    login(client, cast.rep)
    assert client.get(f"/import/records/contact/{grace().pk}/").status_code == 403
