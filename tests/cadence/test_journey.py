"""A manager runs a joint meeting end to end, in real Chromium against a live server."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from accord.cadence.models import Meeting
from accord.inbox.models import ActionItem
from tests.conftest import Cast, browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_plan_a_meeting_edit_its_agenda_and_agree_an_item(page, live_server, cast: Cast) -> None:
    page.set_default_timeout(90_000)  # the shared CI machines can be slow
    browser_login(page, live_server.url, "marketing-manager")
    page.get_by_role("link", name="Meetings").click()
    page.get_by_role("link", name="Start a meeting series").first.click()
    page.get_by_label("Name").fill("Monthly pipeline review")
    page.get_by_role("button", name="Create the series").click()

    page.get_by_label("Date").fill("2026-11-03")
    page.get_by_label("Participants").select_option(label=["Rep (Sales rep)"])
    page.get_by_role("button", name="Plan the meeting").click()
    assert "Invite at least one person from sales and one from marketing." in page.content()
    page.get_by_label("Participants").select_option(
        label=["Rep (Sales rep)", "Marketer (Marketer)"]
    )
    page.get_by_role("button", name="Plan the meeting").click()
    page.wait_for_selector("text=Meeting planned")

    page.get_by_label("Add a point").fill("Lead quality from webinars")
    page.get_by_role("button", name="Add to the agenda").click()  # htmx: the agenda only
    page.wait_for_selector("#agenda >> text=Lead quality from webinars")
    page.get_by_label("Add a point").fill("Event calendar")
    page.get_by_role("button", name="Add to the agenda").click()
    page.wait_for_selector("#agenda >> text=Event calendar")
    event = page.locator("#agenda li", has_text="Event calendar")
    event.get_by_role("button", name="Move up").click()
    expect(page.locator("#agenda ol > li > strong").first).to_have_text(
        "Event calendar", timeout=90_000
    )

    page.get_by_label("Action item", exact=True).fill("Send ten sample MQLs to sales")
    page.get_by_label("Owner").select_option(label="Marketer")
    page.get_by_role("button", name="Add the action item").click()
    page.wait_for_selector("text=Action item for Marketer: Send ten sample MQLs to sales")

    meeting = Meeting.objects.get()
    assert list(meeting.agenda.order_by("position").values_list("title", flat=True)) == [
        "Event calendar",
        "Lead quality from webinars",
    ]
    item = ActionItem.objects.get()
    assert (item.owner, str(item.due_on)) == (cast.marketer, "2026-12-03")
