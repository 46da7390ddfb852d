"""A rep leaves feedback from a phone-sized screen, in real Chromium."""

from __future__ import annotations

import pytest

from accord.feedback.models import Feedback, FeedbackKind
from tests.conftest import Cast, browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_rep_leaves_feedback_on_a_phone(page, live_server, cast: Cast, ground) -> None:
    browser_login(page, live_server.url, "rep")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/feedback/new/")
    # One column, nothing wider than the screen, tap targets of a thumb's size.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    for label in ("Competitor met", "Objection heard"):
        box = page.get_by_label(label).locator("xpath=..").bounding_box()
        assert box is not None and box["height"] >= 44
    # Save with nothing chosen: each missing field says what it needs.
    page.get_by_role("button", name="Save feedback").click()
    assert page.get_by_text("Choose what kind of feedback this is.").is_visible()
    assert page.get_by_text("Write what you heard, a sentence is enough.").is_visible()
    page.get_by_label("Competitor met").check()
    page.get_by_label("About").select_option(f"opportunity:{ground.rep_deal.pk}")
    page.get_by_label("In a sentence").fill("They saw the Northwind demo and liked the app")
    page.get_by_role("button", name="Save feedback").click()
    assert page.get_by_text("Name the competitor you met.").is_visible()
    page.get_by_label("Competitor (if any)").fill("Northwind")
    page.get_by_role("button", name="Save feedback").click()
    page.wait_for_selector("text=Thanks, saved.")
    note = Feedback.objects.get()
    assert (note.kind, note.competitor, note.opportunity_id) == (
        FeedbackKind.COMPETITOR,
        "Northwind",
        ground.rep_deal.pk,
    )
    page.get_by_role("link", name="Your notes").click()
    assert "They saw the Northwind demo and liked the app" in page.content()
