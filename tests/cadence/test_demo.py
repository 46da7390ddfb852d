"""The demo company's year of meetings, and every page full with it."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from accord.cadence.demo import cadence_demo_build, meeting_days
from accord.cadence.models import AgendaKind, Meeting
from accord.directory.models import Person
from accord.inbox.models import ActionItem
from tests.conftest import AS_OF

pytestmark = pytest.mark.django_db


def test_meeting_days_are_first_tuesdays() -> None:
    days = meeting_days(AS_OF)
    assert (days[0], days[-2], days[-1]) == (
        date(2025, 12, 2),
        date(2026, 11, 3),
        date(2026, 12, 1),
    )
    assert len(days) == 13 and all(d.weekday() == 1 for d in days)


def _signature() -> list[tuple[object, ...]]:
    return list(
        ActionItem.objects.filter(meeting_link__isnull=False)
        .order_by("created_at", "title", "owner__name")
        .values_list("title", "owner__name", "status", "due_on", "completed_at")
    )


def test_a_year_of_meetings_with_items_done_open_and_overdue(demo_small, client) -> None:
    meetings = list(Meeting.objects.order_by("held_on"))
    assert len(meetings) == 13
    assert all(m.agenda.exists() for m in meetings)
    items = ActionItem.objects.filter(meeting_link__isnull=False)
    statuses = set(items.values_list("status", flat=True))
    assert statuses == {"done", "cancelled", "open"}
    assert items.filter(status="open", due_on__lt=AS_OF.date()).exists()  # overdue
    latest = meetings[-1]
    still_open = items.filter(status="open", meeting_link__meeting__held_on__lt=latest.held_on)
    carried = latest.agenda.filter(kind=AgendaKind.CARRIED_OVER)
    assert carried.count() == still_open.count() > 0

    manager = Person.objects.filter(role="sales_manager").order_by("pk").first()
    client.force_login(manager.user)
    assert client.get(reverse("cadence:meetings")).content.decode().count("Minutes") >= 13
    first_page = client.get(reverse("cadence:meeting", args=[meetings[0].pk])).content.decode()
    assert "Survey results: Alignment check 2025" in first_page
    latest_page = client.get(reverse("cadence:meeting", args=[latest.pk])).content.decode()
    assert "Follow up:" in latest_page and "(overdue)" in latest_page
    minutes = client.get(reverse("cadence:minutes_md", args=[meetings[-2].pk])).content.decode()
    assert "## Action items agreed" in minutes and "- [ ]" in minutes
    rep = Person.objects.filter(role="sales_rep", meetings__isnull=False).first()
    client.force_login(rep.user)
    assert client.get(reverse("cadence:meeting", args=[latest.pk])).status_code == 200

    before = _signature()
    cadence_demo_build(AS_OF, seed=7)  # deterministic: a rebuild gives the same year
    assert _signature() == before
