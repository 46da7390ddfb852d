"""Open action items carry over to the next meeting's agenda until they are closed."""

from __future__ import annotations

from datetime import date

import pytest

from accord.cadence import services
from accord.cadence.models import AgendaKind
from tests.cadence.helpers import meeting_make, series_make

pytestmark = pytest.mark.django_db


def carried(meeting) -> list[tuple[str, str]]:
    points = meeting.agenda.filter(kind=AgendaKind.CARRIED_OVER).order_by("position")
    return [(p.title, p.detail) for p in points]


def test_open_items_carry_over_until_closed(cast) -> None:
    series = series_make()
    first = meeting_make(cast, series, held_on=date(2026, 10, 6))
    still_open = services.meeting_action_item_create(
        meeting=first, title="Share the lost-deal reasons", owner=cast.rep
    )
    done = services.meeting_action_item_create(
        meeting=first, title="Book the event booth", owner=cast.marketer
    )
    services.meeting_action_item_close(item=done)
    assert still_open.due_on == date(2026, 11, 6)  # by the next meeting: a month on

    second = meeting_make(cast, series, held_on=date(2026, 11, 3))
    assert carried(second) == [
        (
            "Follow up: Share the lost-deal reasons",
            "Owner: Rep, due 06 Nov 2026. Agreed on 06 Oct 2026.",
        )
    ]
    assert second.agenda.get(kind=AgendaKind.CARRIED_OVER).source_key == f"action:{still_open.pk}"

    third = meeting_make(cast, series, held_on=date(2026, 12, 1))
    assert carried(third) == [
        (
            "Follow up: Share the lost-deal reasons",
            "Owner: Rep, due 06 Nov 2026 (overdue). Agreed on 06 Oct 2026.",
        )
    ]

    services.meeting_action_item_close(item=still_open, status="cancelled")
    fourth = meeting_make(cast, series, held_on=date(2027, 1, 5))
    assert carried(fourth) == []


def test_items_agreed_later_carry_over_too(cast) -> None:
    series = series_make()
    first = meeting_make(cast, series, held_on=date(2026, 10, 6))
    meeting_make(cast, series, held_on=date(2026, 11, 3))
    item = services.meeting_action_item_create(
        meeting=first, title="Draft the joint playbook", owner=cast.marketing_manager
    )
    # The next meeting is already planned: the item is due by then.
    assert item.due_on == date(2026, 11, 3)
    later = meeting_make(cast, series, held_on=date(2026, 12, 1))
    assert carried(later) == [
        (
            "Follow up: Draft the joint playbook",
            "Owner: Marketing Manager, due 03 Nov 2026 (overdue). Agreed on 06 Oct 2026.",
        )
    ]


def test_drafting_again_adds_nothing_twice(cast) -> None:
    series = series_make()
    first = meeting_make(cast, series, held_on=date(2026, 10, 6))
    services.meeting_action_item_create(meeting=first, title="Call Acme", owner=cast.rep)
    second = meeting_make(cast, series, held_on=date(2026, 11, 3))
    assert second.agenda.count() == 1
    assert services.agenda_generate(meeting=second) == 0
    assert second.agenda.count() == 1


def test_an_edited_carried_point_keeps_its_words(cast) -> None:
    series = series_make()
    first = meeting_make(cast, series, held_on=date(2026, 10, 6))
    services.meeting_action_item_create(meeting=first, title="Call Acme", owner=cast.rep)
    second = meeting_make(cast, series, held_on=date(2026, 11, 3))
    point = second.agenda.get()
    services.agenda_item_update(item=point, title="Acme: where are we?", detail="", notes="")
    assert services.agenda_generate(meeting=second) == 0
    assert list(second.agenda.values_list("title", flat=True)) == ["Acme: where are we?"]


def test_items_of_another_series_stay_there(cast) -> None:
    other = meeting_make(cast, series_make(name="Field marketing sync"), held_on=date(2026, 10, 6))
    services.meeting_action_item_create(meeting=other, title="Order the banners", owner=cast.rep)
    mine = meeting_make(cast, series_make(), held_on=date(2026, 11, 3))
    assert carried(mine) == []
