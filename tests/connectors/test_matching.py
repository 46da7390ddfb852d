"""The one account matcher the importers and the demo share."""

from __future__ import annotations

import pytest
from django.utils import timezone

from accord.crm.matching import AccountsByDomain, email_domain
from accord.crm.models import Account


@pytest.mark.nodb
@pytest.mark.parametrize(
    ("email", "domain"),
    [
        ("ada@Northwind.example", "northwind.example"),
        ("alan.turing@gmail.com", None),
        ("x@web.de", None),
        ("", None),
        (None, None),
    ],
)
def test_the_company_domain_of_an_address(email: str | None, domain: str | None) -> None:
    assert email_domain(email) == domain


@pytest.mark.django_db
def test_the_same_systems_account_wins_then_the_oldest(django_assert_num_queries) -> None:
    now = timezone.now()
    hubspot = Account.objects.create(
        name="Globex", domain="globex.example", source="hubspot", created_at=now
    )
    salesforce = Account.objects.create(
        name="Globex Corp", domain="globex.example", source="salesforce", created_at=now
    )
    later = Account.objects.create(
        name="Globex GmbH", domain="globex.example", source="salesforce", created_at=now
    )
    matcher = AccountsByDomain(prefer_source="salesforce")
    with django_assert_num_queries(1):
        matcher.load(["globex.example", "initech.example", None])
        assert matcher.account_for_email("grace@globex.example") == salesforce.pk
        assert matcher.account_for_email("peter@initech.example") is None
        assert matcher.account_for_email("alan@gmail.com") is None
    assert AccountsByDomain(prefer_source="hubspot").account_for_domain("globex.example") == (
        hubspot.pk
    )
    assert AccountsByDomain().account_for_domain("globex.example") == hubspot.pk
    assert later.pk > salesforce.pk


@pytest.mark.django_db
def test_known_accounts_need_no_query(django_assert_num_queries) -> None:
    matcher = AccountsByDomain.known([("northwind.example", 7), ("Globex.example", 9)])
    with django_assert_num_queries(0):
        assert matcher.account_for_email("ada@northwind.example") == 7
        assert matcher.account_for_email("GRACE@GLOBEX.EXAMPLE".lower()) == 9
        assert matcher.account_for_email("alan@gmail.com") is None
        assert matcher.account_for_email("someone@elsewhere.example") is None


@pytest.mark.django_db
def test_the_demo_links_each_contact_as_it_always_did(demo_small) -> None:
    """The demo picks an account, then writes a lead for it: the shared matcher must
    give each contact exactly that account (so the demo company is unchanged)."""
    from accord.crm.models import Lead

    pairs = Lead.objects.filter(source="demo").values_list("account_id", "contact__account_id")
    assert pairs.count() > 1000
    assert all(lead_account == contact_account for lead_account, contact_account in pairs)
    assert Lead.objects.filter(source="demo", account__isnull=True).exists()  # free mail
