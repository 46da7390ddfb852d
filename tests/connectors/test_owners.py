"""Record owners in exports become Accord people, or a warning on the row."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from accord.connectors.services import import_file
from accord.crm.models import Account, Lead, Opportunity, SourceUser
from tests.conftest import Cast

pytestmark = pytest.mark.django_db


def test_hubspot_owners_are_found_by_name_and_unknown_ones_reported(
    exports: Path, cast: Cast
) -> None:
    cast.sales_manager.name = "Dana Reyes"
    cast.sales_manager.save()
    companies = import_file(path=exports / "hubspot_companies.csv")
    assert (companies.ok, companies.created, companies.invalid, companies.warnings) == (
        True,
        2,
        0,
        1,
    )
    assert companies.first_warnings == [
        (
            3,
            "Company owner",
            "owner 'Sam Okafor' is not a person in Accord; the record keeps its owner "
            "(add the person, or map this hubspot user to a person under Source users)",
        )
    ]
    owners = dict(Account.objects.values_list("name", "owner_id"))
    assert owners == {"Northwind Traders": cast.sales_manager.pk, "Umbrella Health": None}

    deals = import_file(path=exports / "hubspot_deals.csv")
    assert (deals.applied, deals.created, deals.warnings) == (True, 2, 1)
    assert dict(Opportunity.objects.values_list("name", "owner_id")) == {
        "Umbrella Health - Annual": None,
        "Northwind - Add-on seats": cast.sales_manager.pk,
    }
    with (exports / "hubspot_deals.errors.csv").open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert [r[1:3] + r[4:] for r in rows[1:]] == [["2", "Deal owner", "warning"]]


def test_a_mapped_salesforce_user_owns_the_lead_in_either_id_form(
    exports: Path, cast: Cast
) -> None:
    # Stored in the 18-character form; the file writes the 15-character one.
    SourceUser.objects.create(
        source="salesforce", external_id="0055g00000DnRysAAF", person=cast.other_rep
    )
    result = import_file(path=exports / "salesforce_leads_owners.csv", skip_invalid=True)
    assert (result.created, result.invalid, result.warnings) == (2, 1, 1)
    assert Lead.objects.get(external_id="00Q5g00000uVwXyEAK").owner == cast.other_rep


def test_an_owner_by_email_and_one_left_out_keeps_the_owner(
    exports: Path, cast: Cast, tmp_path: Path
) -> None:
    import_file(path=exports / "salesforce_accounts.csv")
    path = tmp_path / "opportunities.csv"
    header = '"Id","AccountId","Name","StageName","CloseDate","Amount","OwnerId","CreatedDate"\n'
    row = '"0065g00000XyZaB","0015g00000AbCdE","Northwind - Rollout","Prospecting","2024-06-30",'
    path.write_text(header + row + '"100","Sales-Manager@Example.com","2024-03-20"\n')
    assert import_file(path=path).applied
    deal = Opportunity.objects.get()
    assert deal.owner == cast.sales_manager

    # The funnel hands the deal to a rep; a re-export without an owner keeps them.
    Opportunity.objects.update(owner=cast.rep)
    path.write_text(header + row + '"100","","2024-03-20"\n')
    again = import_file(path=path)
    assert (again.unchanged, again.warnings) == (1, 0)
    deal.refresh_from_db()
    assert deal.owner == cast.rep

    # An owner Accord does not know: a warning, and still the rep.
    path.write_text(header + row + '"100","0055g00000QqWwE","2024-03-20"\n')
    unknown = import_file(path=path)
    assert (unknown.applied, unknown.unchanged, unknown.warnings) == (True, 1, 1)
    assert unknown.first_warnings[0][:2] == (2, "OwnerId")
    assert "'0055g00000QqWwEAAV' is not a person in Accord" in unknown.first_warnings[0][2]
    deal.refresh_from_db()
    assert deal.owner == cast.rep
