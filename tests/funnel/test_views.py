from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from accord.crm.choices import LeadEventKind, LeadStage, RejectionReason
from accord.crm.models import Campaign, LeadEvent
from accord.funnel import services
from accord.funnel.models import MqlCommitment
from tests.conftest import AS_OF, login

PAGES = ["funnel:queue", "funnel:mqls", "funnel:scorecard"]
ALL_PAGES = [*PAGES, "funnel:stages", "funnel:changes"]


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(AS_OF, tick=False):
        yield


@pytest.fixture
def mql(cast, make_lead):
    return make_lead(
        owner=cast.rep,
        mql_at=AS_OF - timedelta(hours=1),
        accept_due_at=AS_OF + timedelta(hours=3),
        contact_due_at=AS_OF + timedelta(days=2),
    )


@pytest.mark.parametrize("name", ALL_PAGES)
def test_pages_on_an_empty_database(client, cast, name) -> None:
    login(client, cast.rep)
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert 'class="empty"' in response.content.decode()


def test_queue_lists_my_mql_with_its_clock(client, cast, mql) -> None:
    login(client, cast.rep)
    html = client.get(reverse("funnel:queue")).content.decode()
    assert f'id="lead-{mql.pk}"' in html
    assert "Accept within 3\xa0hours" in html
    login(client, cast.other_rep)
    assert f'id="lead-{mql.pk}"' not in client.get(reverse("funnel:queue")).content.decode()


def test_accept_with_htmx_swaps_the_row(client, cast, mql) -> None:
    login(client, cast.rep)
    response = client.post(reverse("funnel:accept", args=[mql.pk]), headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.strip().startswith(f'<tr id="lead-{mql.pk}">')
    assert "First contact within" in html and "Reached them" in html and "Reject" not in html
    mql.refresh_from_db()
    assert (mql.stage, mql.sal_at) == (LeadStage.SAL, AS_OF)
    response = client.post(
        reverse("funnel:contacted", args=[mql.pk]), headers={"HX-Request": "true"}
    )
    assert "Accepted, contacted" in response.content.decode()
    mql.refresh_from_db()
    assert mql.first_contact_at == AS_OF


def test_reject_needs_a_reason_and_records_it(client, cast, mql) -> None:
    login(client, cast.rep)
    url = reverse("funnel:reject", args=[mql.pk])
    html = client.post(url, {"reason": ""}, headers={"HX-Request": "true"}).content.decode()
    assert "Choose a reason code" in html
    mql.refresh_from_db()
    assert mql.stage == LeadStage.MQL
    response = client.post(url, {"reason": RejectionReason.NO_BUDGET})
    assert response.status_code == 302
    mql.refresh_from_db()
    assert (mql.stage, mql.rejection_reason) == (LeadStage.RECYCLED, RejectionReason.NO_BUDGET)


def test_a_lead_someone_else_took_says_so(client, cast, mql) -> None:
    services.lead_accept(lead=mql, by=cast.sales_manager)
    login(client, cast.rep)
    response = client.post(reverse("funnel:accept", args=[mql.pk]), headers={"HX-Request": "true"})
    assert services.ACCEPT_NEEDS_MQL in response.content.decode()


def test_another_reps_lead_is_a_404(client, cast, mql) -> None:
    login(client, cast.other_rep)
    assert client.post(reverse("funnel:accept", args=[mql.pk])).status_code == 404
    assert (
        client.post(reverse("funnel:reject", args=[mql.pk]), {"reason": "duplicate"}).status_code
        == 404
    )
    assert client.get(reverse("funnel:history", args=[mql.pk])).status_code == 404
    mql.refresh_from_db()
    assert mql.stage == LeadStage.MQL


def test_marketing_may_look_but_not_accept(client, cast, mql) -> None:
    login(client, cast.marketer)
    assert client.get(reverse("funnel:history", args=[mql.pk])).status_code == 200
    assert client.post(reverse("funnel:accept", args=[mql.pk])).status_code == 404


def test_post_without_csrf_is_refused(cast, mql) -> None:
    client = Client(enforce_csrf_checks=True)
    login(client, cast.rep)
    assert client.post(reverse("funnel:accept", args=[mql.pk])).status_code == 403
    mql.refresh_from_db()
    assert mql.stage == LeadStage.MQL


def test_history_shows_the_event_log(client, cast, mql) -> None:
    services.lead_reject(lead=mql, by=cast.rep, reason=RejectionReason.OTHER, note="Reseller")
    login(client, cast.rep)
    html = client.get(reverse("funnel:history", args=[mql.pk])).content.decode()
    assert "Rejected" in html and "Reseller" in html and services.RULE_REJECTED in html
    assert LeadEvent.objects.get(lead=mql).kind == LeadEventKind.REJECTED


def test_mql_outcomes_by_campaign_owner(client, cast, make_lead) -> None:
    campaign = Campaign.objects.create(
        name="Webinar week", channel="webinar", owner=cast.marketer, created_at=AS_OF
    )
    base = {"campaign": campaign, "mql_at": AS_OF}
    make_lead(**base)
    make_lead(stage=LeadStage.SAL, sal_at=AS_OF, **base)
    make_lead(stage=LeadStage.RECYCLED, rejection_reason=RejectionReason.STUDENT, **base)
    login(client, cast.marketer)
    html = client.get(reverse("funnel:mqls")).content.decode()
    assert "Marketer (you)" in html and "Student: 1" in html
    row = html.split("Marketer (you)")[1].split("</tr>")[0]
    assert [c.split("<")[0] for c in row.split('<td class="num">')[1:5]] == ["3", "1", "1", "0"]


def test_scorecard_sides_by_month_and_segment(client, cast, make_lead) -> None:
    due = AS_OF + timedelta(hours=4)
    make_lead(stage=LeadStage.SAL, mql_at=AS_OF, accept_due_at=due, sal_at=AS_OF)
    make_lead(mql_at=AS_OF, accept_due_at=due)
    MqlCommitment.objects.create(month=AS_OF.date().replace(day=1), mqls=4)
    login(client, cast.cro)
    html = client.get(reverse("funnel:scorecard")).content.decode()
    assert "Nov 2026" in html and "No segment" in html
    assert "50%" in html  # answered in SLA and accepted by sales: 1 of 2
    assert "4 <small>(50%)</small>" in html  # 2 delivered of 4 committed


@pytest.mark.parametrize("name", PAGES)
def test_pages_with_the_demo_company(client, demo_small, name) -> None:
    from accord.directory.models import Person

    rep = Person.objects.filter(role="sales_rep", user__isnull=False, leads__stage="mql").first()
    login(client, rep)
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert 'class="empty"' not in response.content.decode()


def test_scoring_page_shows_the_rules_in_force(client, cast) -> None:
    login(client, cast.marketer)
    html = client.get(reverse("funnel:scoring")).content.decode()
    assert "The rules Accord ships with" in html and "50 points" in html
    assert "Each touch of kind “Form fill”" in html


def test_admin_lists_the_funnel_terms(client, cast) -> None:
    login(client, cast.admin)
    for name in ("holiday", "slapolicy", "mqlcommitment", "scoringruleset", "slamark"):
        assert client.get(reverse(f"admin:funnel_{name}_changelist")).status_code == 200


def test_history_and_stages_with_the_demo_company(client, demo_small) -> None:
    from accord.crm.models import Lead
    from accord.directory.models import Person

    leader = Person.objects.filter(role="revenue_leader", user__isnull=False).first()
    lead = Lead.objects.filter(sal_at__isnull=False).order_by("pk").first()
    login(client, leader)
    html = client.get(reverse("funnel:history", args=[lead.pk])).content.decode()
    assert "Accepted" in html and "chance sales accepts it" in html
    assert client.get(reverse("funnel:stages")).status_code == 200
    assert client.get(reverse("funnel:scoring")).status_code == 200


def test_a_sales_manager_sees_the_teams_clocks(client, cast, mql) -> None:
    login(client, cast.sales_manager)
    html = client.get(reverse("funnel:queue")).content.decode()
    team = html.split("Your team's open leads")[1]
    assert f"/funnel/leads/{mql.pk}/" in team and "Rep" in team and "Accept within" in team
    login(client, cast.rep)
    assert "Your team's open leads" not in client.get(reverse("funnel:queue")).content.decode()
