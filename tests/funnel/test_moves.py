from __future__ import annotations

import threading

import pytest
import time_machine
from django.db import connection

from accord.crm.choices import LeadEventKind, LeadStage, RejectionReason
from accord.crm.models import Lead, LeadEvent
from accord.directory.models import Person
from accord.funnel import services
from accord.funnel.services import LeadMoveError
from tests.conftest import AS_OF


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(AS_OF, tick=False):
        yield


def test_accept_moves_mql_to_sal_and_writes_the_event(cast, make_lead) -> None:
    lead = make_lead(owner=cast.rep)
    services.lead_accept(lead=lead, by=cast.rep)
    lead.refresh_from_db()
    assert (lead.stage, lead.sal_at, lead.version) == (LeadStage.SAL, AS_OF, 1)
    [event] = LeadEvent.objects.filter(lead=lead)
    assert (event.kind, event.actor, event.from_stage, event.to_stage) == (
        LeadEventKind.ACCEPTED,
        cast.rep,
        LeadStage.MQL,
        LeadStage.SAL,
    )
    assert event.occurred_at == AS_OF


def test_accept_of_an_unowned_mql_makes_the_acceptor_owner(cast, make_lead) -> None:
    lead = services.lead_accept(lead=make_lead(), by=cast.rep)
    assert lead.owner == cast.rep


@pytest.mark.parametrize("stage", [LeadStage.INQUIRY, LeadStage.SAL, LeadStage.RECYCLED])
def test_only_an_mql_can_be_accepted(cast, make_lead, stage) -> None:
    lead = make_lead(stage=stage)
    with pytest.raises(LeadMoveError, match=services.ACCEPT_NEEDS_MQL):
        services.lead_accept(lead=lead, by=cast.rep)
    assert not LeadEvent.objects.filter(lead=lead).exists()


def test_reject_recycles_with_the_reason_visible(cast, make_lead) -> None:
    lead = make_lead(owner=cast.rep)
    services.lead_reject(lead=lead, by=cast.rep, reason=RejectionReason.BAD_TIMING)
    lead.refresh_from_db()
    assert lead.stage == LeadStage.RECYCLED
    assert lead.rejection_reason == RejectionReason.BAD_TIMING
    assert lead.recycled_at == AS_OF
    event = LeadEvent.objects.get(lead=lead)
    assert (event.kind, event.reason, event.to_stage, event.rule) == (
        LeadEventKind.REJECTED,
        RejectionReason.BAD_TIMING,
        LeadStage.RECYCLED,
        services.RULE_REJECTED,
    )


@pytest.mark.parametrize("reason", ["", "because", None])
def test_reject_needs_a_known_reason(cast, make_lead, reason) -> None:
    lead = make_lead(owner=cast.rep)
    with pytest.raises(LeadMoveError, match="Choose a reason code"):
        services.lead_reject(lead=lead, by=cast.rep, reason=reason)
    lead.refresh_from_db()
    assert lead.stage == LeadStage.MQL


def test_other_needs_a_note(cast, make_lead) -> None:
    lead = make_lead(owner=cast.rep)
    with pytest.raises(LeadMoveError, match=services.NOTE_REQUIRED):
        services.lead_reject(lead=lead, by=cast.rep, reason=RejectionReason.OTHER, note="  ")
    services.lead_reject(lead=lead, by=cast.rep, reason=RejectionReason.OTHER, note="Reseller")
    assert LeadEvent.objects.get(lead=lead).note == "Reseller"


def test_contact_qualify_recycle_disqualify(cast, make_lead) -> None:
    lead = services.lead_accept(lead=make_lead(owner=cast.rep), by=cast.rep)
    lead = services.lead_record_contact(lead=lead, by=cast.rep)
    assert lead.first_contact_at == AS_OF
    with pytest.raises(LeadMoveError, match=services.CONTACT_ALREADY):
        services.lead_record_contact(lead=lead, by=cast.rep)
    lead = services.lead_qualify(lead=lead, by=cast.rep)
    assert (lead.stage, lead.sql_at) == (LeadStage.SQL, AS_OF)
    with pytest.raises(LeadMoveError, match=services.QUALIFY_NEEDS_SAL):
        services.lead_qualify(lead=lead, by=cast.rep)
    lead = services.lead_recycle(lead=lead, by=cast.rep, reason=RejectionReason.NO_BUDGET)
    assert lead.stage == LeadStage.RECYCLED
    lead = services.lead_disqualify(lead=lead, by=cast.rep, reason=RejectionReason.COMPETITOR)
    assert (lead.stage, lead.disqualified_at) == (LeadStage.DISQUALIFIED, AS_OF)
    with pytest.raises(LeadMoveError, match=services.DISQUALIFY_NOT_ALLOWED):
        services.lead_disqualify(lead=lead, by=cast.rep, reason=RejectionReason.COMPETITOR)
    kinds = list(LeadEvent.objects.filter(lead=lead).values_list("kind", flat=True))
    assert kinds == ["accepted", "contacted", "stage_changed", "recycled", "disqualified"]
    assert lead.version == 5


def test_a_stale_copy_is_refused(cast, make_lead) -> None:
    lead = make_lead(owner=cast.rep)
    stale = Lead.objects.get(pk=lead.pk)
    services.lead_reject(lead=lead, by=cast.rep, reason=RejectionReason.DUPLICATE)
    stale.stage = LeadStage.MQL  # the copy someone loaded before the rejection
    with pytest.raises(LeadMoveError, match=services.LEAD_CHANGED_MEANWHILE):
        services.lead_accept(lead=stale, by=cast.other_rep)
    assert LeadEvent.objects.filter(lead=lead).count() == 1


def _race(lead_id: int, people: list[Person]) -> list[str]:
    """Each person accepts the same lead at once, each thread on its own connection."""
    barrier = threading.Barrier(len(people))
    outcomes: list[str] = []
    copies = [Lead.objects.get(pk=lead_id) for _ in people]

    def accept(person: Person, copy: Lead) -> None:
        try:
            barrier.wait()
            services.lead_accept(lead=copy, by=person)
            outcomes.append("won")
        except LeadMoveError as exc:
            outcomes.append(str(exc))
        finally:
            connection.close()

    threads = [
        threading.Thread(target=accept, args=pair) for pair in zip(people, copies, strict=True)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_two_reps_accepting_at_once_one_wins(cast, make_lead) -> None:
    lead = make_lead()
    outcomes = _race(lead.pk, [cast.rep, cast.other_rep])
    assert sorted(outcomes) == sorted(["won", services.LEAD_CHANGED_MEANWHILE]), outcomes
    lead.refresh_from_db()
    assert (lead.stage, lead.version) == (LeadStage.SAL, 1)
    [event] = LeadEvent.objects.filter(lead=lead)
    assert event.actor == lead.owner


@pytest.mark.django_db(transaction=True)
def test_fifty_attempts_one_winner(cast, make_lead) -> None:
    lead = make_lead()
    outcomes = _race(lead.pk, [cast.rep, cast.other_rep] * 25)
    assert outcomes.count("won") == 1, outcomes
    assert outcomes.count(services.LEAD_CHANGED_MEANWHILE) == 49
    assert LeadEvent.objects.filter(lead=lead).count() == 1
