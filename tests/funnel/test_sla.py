from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from accord.crm.choices import LeadEventKind, LeadStage
from accord.crm.models import LeadEvent
from accord.directory.models import Segment
from accord.funnel import sla, sweeper
from accord.funnel.models import Holiday, SlaMark, SlaPolicy
from accord.inbox.models import Notification
from tests.conftest import AS_OF

NY = ZoneInfo("America/New_York")


@pytest.fixture
def ny_rep(cast):
    cast.rep.time_zone, cast.rep.country = "America/New_York", "US"
    cast.rep.save()
    return cast.rep


def test_friday_afternoon_mql_is_due_monday_in_the_owners_zone(ny_rep) -> None:
    start = datetime(2026, 11, 20, 16, 30, tzinfo=NY)  # Friday
    accept, contact = sla.sla_deadlines(start=start, owner=ny_rep, segment=None)
    assert accept == datetime(2026, 11, 23, 12, 30, tzinfo=NY)
    assert contact == datetime(2026, 11, 25, 16, 30, tzinfo=NY)  # .5 + 8 + 8 + 7.5


def test_holidays_of_the_owners_country_do_not_count(ny_rep) -> None:
    Holiday.objects.create(country="US", day=date(2026, 11, 23), name="A day off")
    Holiday.objects.create(country="DE", day=date(2026, 11, 24), name="Not ours")
    start = datetime(2026, 11, 20, 16, 30, tzinfo=NY)
    accept, _ = sla.sla_deadlines(start=start, owner=ny_rep, segment=None)
    assert accept == datetime(2026, 11, 24, 12, 30, tzinfo=NY)


def test_dst_change_over_the_weekend(ny_rep) -> None:
    start = datetime(2026, 10, 30, 20, 0, tzinfo=UTC)  # Friday 16:00 EDT
    accept, _ = sla.sla_deadlines(start=start, owner=ny_rep, segment=None)
    assert accept == datetime(2026, 11, 2, 17, 0, tzinfo=UTC)  # Monday 12:00 EST


def test_own_working_hours(ny_rep) -> None:
    ny_rep.work_starts, ny_rep.work_ends = time(7, 0), time(15, 0)
    start = datetime(2026, 11, 23, 14, 0, tzinfo=NY)
    accept, _ = sla.sla_deadlines(start=start, owner=ny_rep, segment=None)
    assert accept == datetime(2026, 11, 24, 10, 0, tzinfo=NY)


def test_segment_terms_override_the_default(cast) -> None:
    smb = Segment.objects.create(name="SMB", slug="smb")
    SlaPolicy.objects.create(segment=None, accept_hours=6, contact_hours=30)
    SlaPolicy.objects.create(segment=smb, accept_hours=1, contact_hours=8)
    assert sla.sla_terms(smb).accept_hours == 1
    assert sla.sla_terms(None).contact_hours == 30
    SlaPolicy.objects.all().delete()
    assert sla.sla_terms(smb) == sla.Terms(4, 24)


def _notes(kind: str) -> list[str]:
    return list(Notification.objects.filter(kind=kind).values_list("recipient__name", flat=True))


def test_breach_is_written_once_and_escalated(cast, make_lead) -> None:
    due = AS_OF - timedelta(hours=1)
    lead = make_lead(owner=cast.rep, accept_due_at=due, contact_due_at=AS_OF + timedelta(days=2))
    with time_machine.travel(AS_OF, tick=False):
        assert sweeper.sla_sweep(AS_OF) == {"warnings": 0, "breaches": 1, "reassigned": 0}
        assert sweeper.sla_sweep(AS_OF) == {"warnings": 0, "breaches": 0, "reassigned": 0}
        assert sweeper.sla_sweep(AS_OF + timedelta(minutes=5))["breaches"] == 0
    [event] = LeadEvent.objects.filter(lead=lead, kind=LeadEventKind.SLA_BREACH)
    assert event.occurred_at == due and event.data == {"clock": "accept"}
    assert sorted(_notes("sla_breach")) == ["Rep", "Sales Manager"]
    assert SlaMark.objects.get().clock == "accept"


def test_warning_before_the_deadline_then_breach(cast, make_lead) -> None:
    lead = make_lead(owner=cast.rep, accept_due_at=AS_OF + timedelta(minutes=30))
    assert sweeper.sla_sweep(AS_OF - timedelta(hours=1)) == {
        "warnings": 0,
        "breaches": 0,
        "reassigned": 0,
    }
    assert sweeper.sla_sweep(AS_OF) == {"warnings": 1, "breaches": 0, "reassigned": 0}
    assert sweeper.sla_sweep(AS_OF) == {"warnings": 0, "breaches": 0, "reassigned": 0}
    assert sweeper.sla_sweep(AS_OF + timedelta(hours=1)) == {
        "warnings": 0,
        "breaches": 1,
        "reassigned": 0,
    }
    kinds = list(LeadEvent.objects.filter(lead=lead).values_list("kind", flat=True))
    assert kinds == [LeadEventKind.SLA_WARNING, LeadEventKind.SLA_BREACH]
    assert _notes("sla_warning") == ["Rep"]


def test_clocks_stop_when_the_work_is_done(cast, make_lead) -> None:
    past = AS_OF - timedelta(hours=1)
    make_lead(stage=LeadStage.SAL, owner=cast.rep, accept_due_at=past, contact_due_at=past)
    make_lead(
        stage=LeadStage.SAL,
        owner=cast.rep,
        accept_due_at=past,
        contact_due_at=past,
        first_contact_at=past - timedelta(minutes=5),
    )
    make_lead(stage=LeadStage.RECYCLED, owner=cast.rep, accept_due_at=past, contact_due_at=past)
    assert sweeper.sla_sweep(AS_OF) == {"warnings": 0, "breaches": 1, "reassigned": 0}
    assert SlaMark.objects.get().clock == "first_contact"


def test_a_sweep_that_died_midway_is_finished_by_the_next(cast, make_lead) -> None:
    past = AS_OF - timedelta(hours=1)
    leads = [make_lead(owner=cast.other_rep, accept_due_at=past) for _ in range(3)]
    # the first sweep got through one lead before the process was killed
    SlaMark.objects.create(
        lead=leads[0], clock="accept", kind="breach", due_at=past, marked_at=AS_OF
    )
    assert sweeper.sla_sweep(AS_OF)["breaches"] == 2
    assert SlaMark.objects.count() == 3
    assert _notes("sla_breach") == ["Other Rep", "Other Rep"]  # their team has no manager


def test_the_sweeper_task_runs_on_the_immediate_backend(cast, make_lead) -> None:
    from accord.funnel.tasks import sla_sweep

    make_lead(owner=cast.rep, accept_due_at=AS_OF - timedelta(hours=1))
    with time_machine.travel(AS_OF, tick=False):
        result = sla_sweep.enqueue()
    assert result.return_value == {
        "warnings": 0,
        "breaches": 1,
        "reassigned": 0,
        "recycled_reviewed": 0,
        "crm_updates_sent": 0,
    }


def test_an_old_breach_is_recorded_without_waking_anyone(cast, make_lead) -> None:
    due = AS_OF - timedelta(days=30)
    lead = make_lead(owner=cast.rep, accept_due_at=due)
    assert sweeper.sla_sweep(AS_OF)["breaches"] == 1
    assert LeadEvent.objects.get(lead=lead).occurred_at == due
    assert not Notification.objects.exists()


def test_a_longer_warning_window_from_the_policy(cast, make_lead) -> None:
    SlaPolicy.objects.create(segment=None, warn_before_minutes=180)
    make_lead(owner=cast.rep, accept_due_at=AS_OF + timedelta(hours=2))
    make_lead(accept_due_at=AS_OF + timedelta(hours=2))  # nobody to warn, still marked
    assert sweeper.sla_sweep(AS_OF)["warnings"] == 2
    assert _notes("sla_warning") == ["Rep"]


def test_a_missed_accept_clock_moves_the_lead_on_where_agreed(cast, make_lead) -> None:
    SlaPolicy.objects.create(segment=None, reassign_on_breach=True)
    due = AS_OF - timedelta(hours=1)
    lead = make_lead(owner=cast.rep, accept_due_at=due)
    with time_machine.travel(AS_OF, tick=False):
        assert sweeper.sla_sweep(AS_OF)["reassigned"] == 1
    lead.refresh_from_db()
    assert lead.owner == cast.other_rep
    assert lead.accept_due_at == AS_OF + timedelta(hours=4)
    event = LeadEvent.objects.get(lead=lead, kind=LeadEventKind.ASSIGNED)
    assert event.rule.startswith("Reassigned after Rep let the accept clock run out")
    # the new owner's clock is a new deadline: it can be breached in its turn, once
    later = AS_OF + timedelta(hours=5)
    cast.other_rep.capacity = 0
    cast.other_rep.save()
    assert sweeper.sla_sweep(later)["breaches"] == 1
    assert sweeper.sla_sweep(later)["breaches"] == 0
    assert SlaMark.objects.filter(lead=lead, kind="breach").count() == 2


def test_no_one_else_to_take_it_keeps_the_owner(cast, make_lead) -> None:
    SlaPolicy.objects.create(segment=None, reassign_on_breach=True)
    cast.other_rep.capacity = 0
    cast.other_rep.save()
    lead = make_lead(owner=cast.rep, accept_due_at=AS_OF - timedelta(hours=1))
    assert sweeper.sla_sweep(AS_OF)["reassigned"] == 0
    lead.refresh_from_db()
    assert lead.owner == cast.rep
