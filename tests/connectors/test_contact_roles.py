"""Salesforce OpportunityContactRole exports: who plays which part in a deal."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import timezone

from accord.connectors.services import import_file
from accord.crm.models import Contact, Opportunity, OpportunityContactRole

pytestmark = pytest.mark.django_db
HEADER = '"Id","OpportunityId","ContactId","Role","IsPrimary","CreatedDate"\n'


@pytest.fixture
def deals(exports: Path) -> Path:
    for name in (
        "salesforce_accounts.csv",
        "salesforce_contacts.csv",
        "salesforce_opportunities_report.csv",
    ):
        assert import_file(path=exports / name).applied, name
    return exports


def roles() -> list[tuple[str, str, str, str, bool, str]]:
    return sorted(
        OpportunityContactRole.objects.values_list(
            "external_id", "opportunity__name", "contact__last_name", "role", "is_primary", "source"
        )
    )


def test_contact_roles_import_and_reimport_unchanged(deals: Path) -> None:
    result = import_file(path=deals / "salesforce_opportunity_contact_roles.csv")
    assert (result.vendor, result.object) == ("salesforce", "OpportunityContactRole")
    assert (result.rows_read, result.created, result.invalid) == (2, 2, 0)
    assert roles() == [
        ("00K5g00000AbCdEEAV", "Northwind - Platform rollout", "Lovelace", "Decision Maker",
         True, "salesforce"),
        ("00K5g00000FgHiJEAV", "Globex - Pilot", "Lamarr", "Evaluator", False, "salesforce"),
    ]  # fmt: skip
    again = import_file(path=deals / "salesforce_opportunity_contact_roles.csv")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


def test_a_changed_role_updates_the_same_record(deals: Path, tmp_path: Path) -> None:
    import_file(path=deals / "salesforce_opportunity_contact_roles.csv")
    path = tmp_path / "roles.csv"
    path.write_text(
        HEADER + '"00K5g00000FgHiJ","0065g00000QrStU","0035g00000UvWxY","Economic Buyer",'
        '"true","2024-04-03T09:00:00.000Z"\n'
    )
    result = import_file(path=path)
    assert (result.created, result.updated) == (0, 1)
    role = OpportunityContactRole.objects.get(external_id="00K5g00000FgHiJEAV")
    assert (role.role, role.is_primary) == ("Economic Buyer", True)
    assert OpportunityContactRole.objects.count() == 2


def test_unknown_contact_and_second_role_for_a_pair_are_row_errors(
    deals: Path, tmp_path: Path
) -> None:
    accord_role = OpportunityContactRole.objects.create(
        opportunity=Opportunity.objects.get(name="Globex - Pilot"),
        contact=Contact.objects.get(last_name="Lamarr"),
        role="Champion",
    )
    path = tmp_path / "roles.csv"
    path.write_text(
        HEADER
        + '"00K5g00000AbCdE","0065g00000XyZaB","0035g00000PqRsT","Decision Maker","true",""\n'
        + '"00K5g00000KlMnO","0065g00000XyZaB","0035g00000ZzZzZ","Influencer","false",""\n'
        + '"00K5g00000PqRsT","0065g00000XyZaB","0035g00000PqRsT","Evaluator","false",""\n'
        + '"00K5g00000FgHiJ","0065g00000QrStU","0035g00000UvWxY","Evaluator","false",""\n'
    )
    result = import_file(path=path)
    assert not result.applied
    assert result.first_errors == [
        (3, "ContactId", "contact 0035g00000ZzZzZAAV is not in Accord; import the contact "
                         "export first"),
        (4, "ContactId", "this contact already has a role on this opportunity "
                         "(record 00K5g00000AbCdEEAV, earlier in the file)"),
        (5, "ContactId", "this contact already has a role on this opportunity "
                         f"(accord record {accord_role.pk})"),
    ]  # fmt: skip
    assert OpportunityContactRole.objects.count() == 1


def test_the_contact_role_keeps_its_source_and_id(db) -> None:
    from accord.crm.models import Account

    account = Account.objects.create(name="Acme", created_at=timezone.now())
    deal = Opportunity.objects.create(
        account=account, name="Acme deal", stage="Prospecting", created_at=timezone.now()
    )
    contact = Contact.objects.create(email="a@acme.example", created_at=timezone.now())
    role = OpportunityContactRole.objects.create(opportunity=deal, contact=contact)
    assert (role.source, role.external_id) == ("accord", None)
