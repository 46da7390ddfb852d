from __future__ import annotations

from datetime import date, timedelta

import pytest

from accord.crm.choices import LeadEventKind, LeadStage
from accord.crm.models import Account, LeadEvent
from accord.directory.models import Segment, Territory
from accord.funnel import routing, services
from tests.conftest import AS_OF


@pytest.fixture
def patch(cast):
    """Both reps cover Germany in Enterprise; the rep has twice the capacity."""
    territory = Territory.objects.create(name="DACH", region="EMEA", countries=["DE", "AT"])
    segment = Segment.objects.create(name="Enterprise", slug="enterprise")
    for person, capacity in ((cast.rep, 2), (cast.other_rep, 1)):
        person.capacity = capacity
        person.save()
        person.territories.add(territory)
        person.segments.add(segment)
    return territory, segment


def _assign_next(make_lead, segment, at=AS_OF):
    lead = make_lead(country="DE", segment=segment)
    return services.lead_assign(lead=lead, at=at)


def test_account_owner_comes_first(cast, make_lead, patch) -> None:
    account = Account.objects.create(name="Acme", owner=cast.other_rep, created_at=AS_OF)
    lead = services.lead_assign(lead=make_lead(account=account, country="DE"), at=AS_OF)
    assert lead.owner == cast.other_rep
    event = LeadEvent.objects.get(lead=lead)
    assert (event.kind, event.rule) == (LeadEventKind.ASSIGNED, routing.RULE_ACCOUNT_OWNER)
    assert event.data == {"owner": cast.other_rep.pk}


def test_round_robin_follows_capacity(cast, make_lead, patch) -> None:
    _, segment = patch
    owners = [_assign_next(make_lead, segment).owner for _ in range(6)]
    rep, other = cast.rep, cast.other_rep
    assert rep.pk < other.pk
    # loads (n+1)/capacity: rep 0.5 vs other 1 -> rep; then a tie at 1 goes to the lower id
    assert owners.count(rep) == 4 and owners.count(other) == 2
    assert owners[2] == other and owners[5] == other
    rule = LeadEvent.objects.filter(kind=LeadEventKind.ASSIGNED).first().rule
    assert rule == "Round robin by capacity among reps for DACH and Enterprise"


def test_out_of_office_and_zero_capacity_are_skipped(cast, make_lead, patch) -> None:
    _, segment = patch
    cast.rep.out_of_office_until = date(2026, 11, 23)
    cast.rep.save()
    assert _assign_next(make_lead, segment).owner == cast.other_rep
    cast.rep.out_of_office_until = date(2026, 11, 22)  # back today
    cast.rep.save()
    cast.other_rep.capacity = 0
    cast.other_rep.save()
    assert _assign_next(make_lead, segment).owner == cast.rep


def test_no_match_falls_back_to_any_rep_then_to_nobody(cast, make_lead, patch) -> None:
    stranger = Segment.objects.create(name="Public sector", slug="public")
    lead = services.lead_assign(lead=make_lead(country="BR"), at=AS_OF)
    assert LeadEvent.objects.get(lead=lead).rule == routing.RULE_MATCHED.format(
        scope="any territory"
    )
    lead = services.lead_assign(lead=make_lead(country="DE", segment=stranger), at=AS_OF)
    assert LeadEvent.objects.get(lead=lead).rule == routing.RULE_ANY_REP
    for person in (cast.rep, cast.other_rep):
        person.capacity = 0
        person.save()
    lead = services.lead_assign(lead=make_lead(country="DE"), at=AS_OF)
    assert lead.owner is None
    assert LeadEvent.objects.get(lead=lead).rule == routing.RULE_NOBODY


def test_old_assignments_leave_the_load_window(cast, make_lead, patch) -> None:
    _, segment = patch
    for _ in range(3):
        make_lead(owner=cast.rep, assigned_at=AS_OF - timedelta(days=31))
    assert _assign_next(make_lead, segment).owner == cast.rep


def test_assignment_starts_both_clocks(cast, make_lead, patch) -> None:
    _, segment = patch
    lead = _assign_next(make_lead, segment)  # Monday 12:00 UTC, the rep works 9-17 UTC
    assert lead.assigned_at == AS_OF
    assert lead.accept_due_at == AS_OF + timedelta(hours=4)
    assert lead.contact_due_at == AS_OF + timedelta(days=3)  # 5 h Mon, 8 Tue, 8 Wed, 3 Thu
    assert lead.stage == LeadStage.MQL
