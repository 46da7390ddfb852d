"""Writes for meetings: both sides present, one meeting a day, valid owners, agenda edits."""

from __future__ import annotations

from datetime import date

import pytest

from accord.cadence import services
from accord.cadence.models import Meeting, MeetingSeries
from accord.inbox.models import ActionItem, Notification
from tests.cadence.helpers import HELD_ON, meeting_make, series_make

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "who",
    [("rep", "sales_manager"), ("marketer", "cro"), ("rep", "cro", "admin")],
    ids=["sales-only", "marketing-and-leader", "no-marketing"],
)
def test_a_meeting_needs_both_sides(cast, who) -> None:
    with pytest.raises(services.MeetingError) as refused:
        services.meeting_create(
            series=series_make(), held_on=HELD_ON, participants=[getattr(cast, w) for w in who]
        )
    assert str(refused.value) == services.NEEDS_BOTH_SIDES
    assert refused.value.field == "participants"
    assert not Meeting.objects.exists()


def test_one_meeting_a_day_per_series(cast) -> None:
    series = series_make()
    meeting_make(cast, series)
    with pytest.raises(services.MeetingError, match="already has a meeting on that day"):
        meeting_make(cast, series)
    assert Meeting.objects.count() == 1


def test_series_names_are_unique(cast) -> None:
    series_make()
    with pytest.raises(services.MeetingError) as refused:
        series_make()
    assert refused.value.field == "name"
    assert MeetingSeries.objects.count() == 1


def test_the_owner_of_an_action_item_takes_part(cast) -> None:
    meeting = meeting_make(cast)
    with pytest.raises(services.MeetingError, match="must be one of the meeting's participants"):
        services.meeting_action_item_create(meeting=meeting, title="X", owner=cast.other_rep)
    assert not ActionItem.objects.exists()


def test_an_action_item_is_the_foundations_item_with_its_meeting(cast) -> None:
    meeting = meeting_make(cast)
    point = services.agenda_item_add(meeting=meeting, title="Lead quality")
    item = services.meeting_action_item_create(
        meeting=meeting,
        title=" Review ten rejected MQLs ",
        owner=cast.marketer,
        agenda_item=point,
        created_by=cast.sales_manager,
    )
    assert (item.title, item.due_on, item.status) == (
        "Review ten rejected MQLs",
        date(2026, 12, 3),
        "open",
    )
    assert item.origin == meeting
    assert item.meeting_link.agenda_item == point
    assert item.origin_label == "Joint meeting: Revenue meeting, 03 Nov 2026"
    note = Notification.objects.get(recipient=cast.marketer)
    assert note.title == "New action item: Review ten rejected MQLs (due 03 Dec 2026)"


def test_closing_twice_is_refused(cast) -> None:
    meeting = meeting_make(cast)
    item = services.meeting_action_item_create(meeting=meeting, title="X", owner=cast.rep)
    services.meeting_action_item_close(item=item)
    with pytest.raises(services.MeetingError, match="already closed"):
        services.meeting_action_item_close(item=item)


def test_agenda_points_are_added_moved_and_removed(cast) -> None:
    meeting = meeting_make(cast)
    a, b, c = (services.agenda_item_add(meeting=meeting, title=t) for t in "ABC")
    item = services.meeting_action_item_create(
        meeting=meeting, title="Follow B", owner=cast.rep, agenda_item=b
    )

    def order() -> list[str]:
        return list(meeting.agenda.order_by("position").values_list("title", flat=True))

    services.agenda_item_move(item=c, up=True)
    assert order() == ["A", "C", "B"]
    services.agenda_item_move(item=a, up=True)  # already first: nothing moves
    assert order() == ["A", "C", "B"]
    services.agenda_item_move(item=a, up=False)
    assert order() == ["C", "A", "B"]
    services.agenda_item_remove(item=b)
    assert order() == ["C", "A"]
    item.refresh_from_db()
    assert item.meeting_link.agenda_item is None  # the item stays, unlinked


def test_a_point_of_another_meeting_is_refused(cast) -> None:
    series = series_make()
    mine = meeting_make(cast, series)
    other = meeting_make(cast, series, held_on=date(2026, 12, 1))
    point = services.agenda_item_add(meeting=other, title="Elsewhere")
    with pytest.raises(services.MeetingError, match="belongs to another meeting"):
        services.meeting_action_item_create(
            meeting=mine, title="X", owner=cast.rep, agenda_item=point
        )


def test_meeting_update_keeps_both_sides(cast) -> None:
    meeting = meeting_make(cast)
    with pytest.raises(services.MeetingError):
        services.meeting_update(
            meeting=meeting, held_on=HELD_ON, participants=[cast.rep], summary=""
        )
    assert meeting.participants.count() == 4
    services.meeting_update(
        meeting=meeting,
        held_on=date(2026, 11, 4),
        participants=[cast.rep, cast.brand],
        summary=" Agreed the MQL change. ",
    )
    assert (meeting.held_on, meeting.summary) == (date(2026, 11, 4), "Agreed the MQL change.")
    assert set(meeting.participants.all()) == {cast.rep, cast.brand}


def test_a_retried_form_adds_nothing_twice(cast) -> None:
    meeting = meeting_make(cast)
    first = services.agenda_item_add(meeting=meeting, title="Pricing")
    assert services.agenda_item_add(meeting=meeting, title=" Pricing ") == first
    item = services.meeting_action_item_create(meeting=meeting, title="Call Acme", owner=cast.rep)
    again = services.meeting_action_item_create(meeting=meeting, title="Call Acme", owner=cast.rep)
    assert again == item
    assert (meeting.agenda.count(), ActionItem.objects.count()) == (1, 1)
    services.meeting_action_item_close(item=item)
    services.meeting_action_item_create(meeting=meeting, title="Call Acme", owner=cast.rep)
    assert ActionItem.objects.count() == 2  # a closed item may be agreed again
