from __future__ import annotations

import pytest
from django.http import Http404
from django.utils import timezone

from accord.crm.models import Account, Lead, Opportunity
from accord.directory import access
from tests.conftest import Cast


@pytest.fixture
def leads(cast: Cast) -> dict[str, Lead]:
    now = timezone.now()
    owned = Account.objects.create(name="Rep's account", owner=cast.rep, created_at=now)
    return {
        "rep": Lead.objects.create(owner=cast.rep, created_at=now),
        "other": Lead.objects.create(owner=cast.other_rep, created_at=now),
        "on_reps_account": Lead.objects.create(account=owned, created_at=now),
        "unassigned": Lead.objects.create(created_at=now),
    }


def visible(person, leads: dict[str, Lead]) -> set[str]:
    ids = set(access.leads_for_user(person.user).values_list("pk", flat=True))
    return {name for name, lead in leads.items() if lead.pk in ids}


def test_a_rep_sees_own_leads_and_leads_on_owned_accounts(cast: Cast, leads) -> None:
    assert visible(cast.rep, leads) == {"rep", "on_reps_account"}
    assert visible(cast.other_rep, leads) == {"other"}


def test_a_sales_manager_sees_the_team(cast: Cast, leads) -> None:
    assert visible(cast.sales_manager, leads) == {"rep", "on_reps_account"}


def test_marketing_and_leaders_see_every_lead(cast: Cast, leads) -> None:
    for person in (
        cast.marketer,
        cast.brand,
        cast.liaison,
        cast.marketing_manager,
        cast.cro,
        cast.admin,
    ):
        assert visible(person, leads) == set(leads), person.role


def test_a_login_without_a_person_sees_nothing(cast: Cast, leads, django_user_model) -> None:
    stranger = django_user_model.objects.create_user("stranger", password="x")
    assert not access.leads_for_user(stranger).exists()
    assert not access.opportunities_for_user(stranger).exists()
    assert not access.accounts_for_user(stranger).exists()


def test_fetching_someone_elses_lead_is_a_404(cast: Cast, leads) -> None:
    assert access.lead_get_for_user(cast.rep.user, leads["rep"].pk) == leads["rep"]
    with pytest.raises(Http404):
        access.lead_get_for_user(cast.rep.user, leads["other"].pk)


def test_opportunities_follow_the_same_rules(cast: Cast) -> None:
    now = timezone.now()
    account = Account.objects.create(name="Shared", created_at=now)
    mine = Opportunity.objects.create(
        account=account, name="Mine", stage="Proposal", owner=cast.rep, created_at=now
    )
    Opportunity.objects.create(
        account=account, name="Theirs", stage="Proposal", owner=cast.other_rep, created_at=now
    )
    assert list(access.opportunities_for_user(cast.rep.user)) == [mine]
    assert access.opportunities_for_user(cast.cro.user).count() == 2
