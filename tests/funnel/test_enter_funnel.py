from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from accord.crm.choices import LeadEventKind, LeadStage, TouchKind
from accord.crm.models import Account, LeadEvent, Touch
from accord.funnel import services
from accord.funnel.routing import RULE_ACCOUNT_OWNER
from tests.conftest import AS_OF


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(AS_OF, tick=False):
        yield


def _hot_lead(make_lead, owner):
    account = Account.objects.create(name="Acme", employees=2000, owner=owner, created_at=AS_OF)
    lead = make_lead(stage=LeadStage.INQUIRY, title="VP Operations", account=account)
    Touch.objects.create(
        contact=lead.contact,
        channel="email",
        kind=TouchKind.FORM_FILL,
        occurred_at=AS_OF,
        created_at=AS_OF,
    )
    return lead


def test_a_hot_lead_becomes_an_mql_routed_with_clocks(cast, make_lead) -> None:
    lead = _hot_lead(make_lead, cast.rep)
    services.lead_enter_funnel(lead_id=lead.pk)
    lead.refresh_from_db()
    assert (lead.stage, lead.score, lead.owner) == (LeadStage.MQL, 65, cast.rep)
    assert (lead.mql_at, lead.assigned_at) == (AS_OF, AS_OF)
    assert lead.accept_due_at == AS_OF + timedelta(hours=4)
    events = list(LeadEvent.objects.filter(lead=lead))
    assert [e.kind for e in events] == [
        LeadEventKind.SCORED,
        LeadEventKind.STAGE_CHANGED,
        LeadEventKind.ASSIGNED,
    ]
    assert events[1].rule == "Score 65 reached the MQL threshold 50 (rules v0)"
    assert events[2].rule == RULE_ACCOUNT_OWNER
    assert len(events[0].data["fired"]) == 3


def test_running_it_again_changes_nothing(cast, make_lead) -> None:
    lead = _hot_lead(make_lead, cast.rep)
    services.lead_enter_funnel(lead_id=lead.pk)
    services.lead_enter_funnel(lead_id=lead.pk)
    assert LeadEvent.objects.filter(lead=lead).count() == 3


def test_a_cold_lead_stays_an_inquiry(make_lead) -> None:
    lead = make_lead(stage=LeadStage.INQUIRY, title="Director")
    services.lead_enter_funnel(lead_id=lead.pk)
    lead.refresh_from_db()
    assert (lead.stage, lead.score, lead.owner) == (LeadStage.INQUIRY, 15, None)
    assert LeadEvent.objects.get(lead=lead).kind == LeadEventKind.SCORED
