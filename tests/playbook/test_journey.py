"""A piece of collateral from draft to a rep's rating, in real Chromium."""

from __future__ import annotations

import pytest

from accord.playbook.models import Collateral, RuleFiring
from accord.playbook.rules import default_rules_install
from tests.conftest import Cast, browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_out(page) -> None:
    page.get_by_role("button", name="Log out").click()


def test_marketing_drafts_sales_approves_a_rep_rates(page, live_server, cast: Cast) -> None:
    default_rules_install()  # a transactional test starts from a flushed database
    browser_login(page, live_server.url, "marketer")
    page.get_by_role("link", name="Playbook").click()
    page.get_by_role("link", name="Collateral").first.click()
    page.get_by_role("link", name="Add a draft").click()
    page.get_by_role("button", name="Save the draft").click()
    page.wait_for_selector("text=This field is required.")  # no title, no kind
    page.get_by_label("Title").fill("Northwind battlecard")
    page.get_by_label("Kind").select_option("battlecard")
    page.get_by_role("button", name="Save the draft").click()
    page.get_by_role("button", name="Send to sales review").click()
    page.wait_for_selector("text=Send to sales review done")
    url = page.url
    _log_out(page)

    browser_login(page, live_server.url, "rep")
    page.goto(url)
    page.get_by_label("Note for “Approve” (optional)").fill("Matches what we hear in the field.")
    page.get_by_role("button", name="Approve").click()
    page.wait_for_selector("text=Approve done")
    _log_out(page)

    browser_login(page, live_server.url, "marketer")
    page.goto(url)
    page.get_by_role("button", name="Publish").click()
    page.wait_for_selector("text=Publish done")
    _log_out(page)

    browser_login(page, live_server.url, "rep")
    page.goto(url)
    page.get_by_label("Your rating").select_option("4")
    page.get_by_role("button", name="Rate").click()
    page.wait_for_selector("text=Rated 4.0 of 5 by 1 person")  # swapped in by htmx
    piece = Collateral.objects.get()
    assert piece.state == "published" and piece.approved_by == cast.rep
    assert RuleFiring.objects.get().outcome == "approved"
