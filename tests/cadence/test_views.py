"""Pages: who sees and edits what, forms that say what is wrong, htmx fragments."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from accord.cadence import services
from accord.cadence.models import Meeting, MeetingSeries
from tests.cadence.helpers import meeting_make, series_make
from tests.conftest import login

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def test_empty_list_for_a_manager_and_for_a_rep(client, cast) -> None:
    login(client, cast.marketing_manager)
    page = client.get(reverse("cadence:meetings")).content.decode()
    assert "No joint meetings yet." in page
    assert reverse("cadence:series_new") in page
    assert "Start a meeting series" in client.get(reverse("cadence:series_new")).content.decode()
    no_series = client.get(reverse("cadence:meeting_new"))
    assert no_series["Location"] == reverse("cadence:series_new")
    login(client, cast.rep)
    page = client.get(reverse("cadence:meetings")).content.decode()
    assert "You are not in any joint meeting yet." in page
    assert reverse("cadence:series_new") not in page


def test_the_list_needs_a_login(client) -> None:
    response = client.get(reverse("cadence:meetings"))
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_a_manager_starts_a_series_and_plans_a_meeting(client, cast) -> None:
    login(client, cast.sales_manager)
    response = client.post(
        reverse("cadence:series_new"),
        {
            "name": "Monthly revenue meeting",
            "cadence": "monthly",
            "involvement_threshold": "2000000",
            "stalled_after_days": "30",
            "conversion_drop_points": "10",
            "conversion_min_leads": "20",
        },
    )
    series = MeetingSeries.objects.get()
    assert response["Location"] == f"{reverse('cadence:meeting_new')}?series={series.pk}"
    people = [cast.rep.pk, cast.marketer.pk]
    response = client.post(
        reverse("cadence:meeting_new"),
        {"series": series.pk, "held_on": "2026-11-03", "participants": people},
    )
    meeting = Meeting.objects.get()
    assert response["Location"] == reverse("cadence:meeting", args=[meeting.pk])
    assert set(meeting.participants.values_list("pk", flat=True)) == set(people)
    page = client.get(response["Location"]).content.decode()
    assert "Monthly revenue meeting" in page
    assert "Nothing on the agenda yet" in page


def test_a_meeting_without_marketing_is_refused_on_its_field(client, cast) -> None:
    series = series_make()
    login(client, cast.marketing_manager)
    response = client.post(
        reverse("cadence:meeting_new"),
        {"series": series.pk, "held_on": "2026-11-03", "participants": [cast.rep.pk]},
    )
    assert response.status_code == 200
    assert (
        'id="id_participants_error">Invite at least one person from sales and one from marketing.'
        in (response.content.decode())
    )
    assert not Meeting.objects.exists()


def test_series_form_names_the_bad_field(client, cast) -> None:
    login(client, cast.cro)
    response = client.post(
        reverse("cadence:series_new"),
        {"name": "", "cadence": "weekly", "involvement_threshold": "-5"},
    )
    page = response.content.decode()
    assert 'id="id_cadence_error">Select a valid choice. weekly is not one of the available' in page
    assert 'id="id_name_error">This field is required.' in page
    assert not MeetingSeries.objects.exists()


def test_people_outside_the_meeting_do_not_see_it(client, cast) -> None:
    meeting = meeting_make(cast)
    login(client, cast.other_rep)
    assert client.get(reverse("cadence:meeting", args=[meeting.pk])).status_code == 404
    assert client.get(reverse("cadence:minutes_md", args=[meeting.pk])).status_code == 404
    assert "Revenue meeting" not in client.get(reverse("cadence:meetings")).content.decode()


def test_participants_view_but_only_managers_edit(client, cast) -> None:
    meeting = meeting_make(cast)
    point = services.agenda_item_add(meeting=meeting, title="Lead quality")
    login(client, cast.rep)
    page = client.get(reverse("cadence:meeting", args=[meeting.pk])).content.decode()
    assert "Lead quality" in page
    assert "Draft from the data" not in page
    url = reverse("cadence:agenda_add", args=[meeting.pk])
    assert client.post(url, {"title": "Mine"}).status_code == 403
    edit = reverse("cadence:agenda_item_edit", args=[point.pk])
    assert client.post(edit, {"title": "Changed"}).status_code == 403
    assert client.get(reverse("cadence:meeting_new")).status_code == 403
    assert meeting.agenda.count() == 1


def test_owners_update_their_own_items_only(client, cast) -> None:
    meeting = meeting_make(cast)
    mine = services.meeting_action_item_create(meeting=meeting, title="Call Acme", owner=cast.rep)
    theirs = services.meeting_action_item_create(meeting=meeting, title="Blog", owner=cast.marketer)
    login(client, cast.rep)
    status = "cadence:action_item_status"
    assert client.post(reverse(status, args=[theirs.pk]), {"status": "done"}).status_code == 403
    response = client.post(reverse(status, args=[mine.pk]), {"status": "done"})
    assert response["Location"] == reverse("cadence:meeting", args=[meeting.pk])
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.status, theirs.status) == ("done", "open")
    login(client, cast.marketing_manager)
    client.post(reverse(status, args=[theirs.pk]), {"status": "cancelled"})
    theirs.refresh_from_db()
    assert theirs.status == "cancelled"


def test_a_manager_agrees_an_action_item_due_by_the_next_meeting(client, cast) -> None:
    meeting = meeting_make(cast)
    login(client, cast.marketing_manager)
    url = reverse("cadence:action_item_add", args=[meeting.pk])
    response = client.post(url, {"title": "Share the win stories", "owner": cast.marketer.pk})
    assert response.status_code == 302
    item = meeting.action_links.get().action_item
    assert (item.owner, item.due_on, item.created_by) == (
        cast.marketer,
        date(2026, 12, 3),
        cast.marketing_manager,
    )
    refused = client.post(url, {"title": "X", "owner": cast.other_rep.pk})
    assert refused.status_code == 400
    assert "Select a valid choice." in refused.content.decode()


def test_htmx_edits_return_the_agenda_fragment(client, cast) -> None:
    meeting = meeting_make(cast)
    first = services.agenda_item_add(meeting=meeting, title="First")
    services.agenda_item_add(meeting=meeting, title="Second")
    login(client, cast.sales_manager)
    edit = reverse("cadence:agenda_item_edit", args=[first.pk])
    response = client.post(edit, {"title": "Renamed", "notes": "Said things"}, **HTMX)
    fragment = response.content.decode()
    assert "<html" not in fragment
    assert "Renamed" in fragment and "Said things" in fragment
    move = reverse("cadence:agenda_item_move", args=[first.pk])
    client.post(move, {"direction": "down"}, **HTMX)
    titles = list(meeting.agenda.order_by("position").values_list("title", flat=True))
    assert titles == ["Second", "Renamed"]
    bad = client.post(edit, {"title": ""}, **HTMX)
    assert bad.status_code == 400
    assert "Title: This field is required." in bad.content.decode()
    remove = reverse("cadence:agenda_item_remove", args=[first.pk])
    client.post(remove, **HTMX)
    assert list(meeting.agenda.values_list("title", flat=True)) == ["Second"]


def test_the_generate_button_adds_only_new_points(client, cast) -> None:
    series = series_make()
    earlier = meeting_make(cast, series, held_on=date(2026, 10, 6))
    meeting = meeting_make(cast, series)
    services.meeting_action_item_create(meeting=earlier, title="Late item", owner=cast.rep)
    login(client, cast.sales_manager)
    url = reverse("cadence:agenda_generate", args=[meeting.pk])
    client.post(url)
    client.post(url)
    assert list(meeting.agenda.values_list("title", flat=True)) == ["Follow up: Late item"]


def test_markdown_download(client, cast) -> None:
    meeting = meeting_make(cast)
    login(client, cast.marketer)
    response = client.get(reverse("cadence:minutes_md", args=[meeting.pk]))
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="minutes-2026-11-03-{meeting.pk}.md"'
    )
    assert response.content.decode().startswith("# Revenue meeting, 03 November 2026\n")
