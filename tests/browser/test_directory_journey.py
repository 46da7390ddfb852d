"""A newcomer's first steps, in real Chromium against a live server."""

from __future__ import annotations

import pytest
from django.utils import timezone

from accord.crm.models import Account
from accord.directory.models import Segment
from tests.conftest import Cast, browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_rep_finds_who_owns_an_account(page, live_server, cast: Cast) -> None:
    Segment.objects.create(name="Enterprise", slug="enterprise", liaison=cast.liaison)
    Account.objects.create(name="Globex Logistics", owner=cast.other_rep, created_at=timezone.now())
    browser_login(page, live_server.url, "rep")
    assert "Good to see you, Rep" in page.content()
    page.get_by_role("link", name="Who to call").click()
    page.get_by_label("Search").fill("globex")
    page.wait_for_selector("text=owned by Other Rep")
    assert "/people/?q=globex" in page.url  # htmx keeps the search in the address bar
    liaisons = page.locator("section", has=page.locator("#liaisons")).inner_text()
    assert "Enterprise: Liaison" in liaisons


def test_keyboard_only_login(page, live_server, cast: Cast) -> None:
    page.goto(f"{live_server.url}/login/")
    page.keyboard.type("marketer")
    page.keyboard.press("Tab")
    page.keyboard.type("accord-test-pw")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/")
    assert "What became of my campaigns" in page.content()
