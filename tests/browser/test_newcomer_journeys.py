"""A newcomer's journeys, end to end, in real Chromium against the small demo company.

Each journey starts at the login page, finds its way through the navigation a
newcomer would use, and checks the database (or the downloaded file) behind
what the page showed. Screenshots land under test-results/.
"""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
from django.db.models import Count
from django.utils import timezone

from accord.cadence.models import Meeting
from accord.crm.choices import LeadEventKind, LeadStage, RejectionReason
from accord.crm.models import Lead
from accord.demo.logins import DEMO_PASSWORD
from accord.directory.models import Person, Segment
from accord.inbox.models import ActionItem, ActionItemStatus
from accord.web.board import Board
from accord.web.filters import Filters
from tests.conftest import AS_OF, SCREENSHOTS, browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SLOW_PAGE_MS = 120_000  # the first cockpit view on a fresh database takes the snapshot


def _person(username: str) -> Person:
    return Person.objects.get(user__username=username)


def _shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"journey_{name}.png"), full_page=True)


def _fresh_mql_for(rep: Person) -> Lead:
    """An inquiry of the demo company, just made an MQL and routed to ``rep``."""
    lead = Lead.objects.filter(stage=LeadStage.INQUIRY, contact__isnull=False).order_by("pk")[0]
    now = timezone.now()
    Lead.objects.filter(pk=lead.pk).update(
        stage=LeadStage.MQL,
        owner=rep,
        mql_at=now - timedelta(minutes=30),
        assigned_at=now - timedelta(minutes=30),
        accept_due_at=now + timedelta(hours=3),
        contact_due_at=now + timedelta(days=1),
    )
    return Lead.objects.get(pk=lead.pk)


def test_a_rep_accepts_a_new_lead_before_its_sla(page, live_server, demo_small) -> None:
    rep = _person("rep")
    lead = _fresh_mql_for(rep)
    browser_login(page, live_server.url, "rep", DEMO_PASSWORD)
    page.get_by_role("link", name="Funnel").click()
    row = page.locator(f"#lead-{lead.pk}")
    row.wait_for()
    assert "Marketing qualified lead" in row.inner_text()
    _shot(page, "rep_queue")
    row.get_by_role("button", name="Accept").click()
    page.locator(f"#lead-{lead.pk}", has_text="Sales accepted lead").wait_for()
    _shot(page, "rep_accepted")
    lead.refresh_from_db()
    assert lead.stage == LeadStage.SAL
    assert lead.sal_at is not None and lead.sal_at <= lead.accept_due_at
    accepted = lead.events.get(kind=LeadEventKind.ACCEPTED)
    assert accepted.actor == rep
    assert not lead.sla_marks.exists()


def test_a_marketer_sees_why_their_mqls_were_rejected(page, live_server, demo_small) -> None:
    marketer = _person("marketer")
    reasons = (
        Lead.objects.filter(campaign__owner=marketer, mql_at__isnull=False, sal_at__isnull=True)
        .exclude(rejection_reason="")
        .values("rejection_reason")
        .annotate(n=Count("pk"))
    )
    expected = {RejectionReason(r["rejection_reason"]).label: r["n"] for r in reasons}
    assert expected, "the demo company plants rejected MQLs for every marketer"
    browser_login(page, live_server.url, "marketer", DEMO_PASSWORD)
    page.get_by_role("link", name="Funnel").click()
    page.get_by_role("link", name="What happened to our MQLs").click()
    mine = page.locator("tr", has_text=f"{marketer.name} (you)")
    mine.wait_for()
    _shot(page, "marketer_rejections")
    text = mine.inner_text()
    for label, n in expected.items():
        assert f"{label}: {n}" in text
    assert str(sum(expected.values())) in text


def test_a_manager_filters_the_scorecard_to_one_segment_and_downloads_the_csv(
    page, live_server, demo_small
) -> None:
    page.set_default_timeout(SLOW_PAGE_MS)
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    browser_login(page, live_server.url, "sales-manager", DEMO_PASSWORD)
    page.get_by_role("link", name="Cockpit").click()
    page.get_by_role("heading", name="Shared scorecard").wait_for()
    page.locator("[data-drawn=true] .main-svg").first.wait_for()
    page.get_by_label("From month").fill("2026-07")
    page.get_by_label("To month").fill("2026-09")
    segment = page.get_by_label("Segment")
    choice = segment.locator("option").nth(1).inner_text()
    segment.select_option(label=choice)
    page.get_by_text(f"Showing Jul 2026 to Sep 2026 · {choice}.").wait_for()
    assert f"segment={choice}" in page.url.replace("+", " ")
    _shot(page, "manager_segment")
    funnel_card = page.locator("section.chart", has_text="Leads entering each stage")
    with page.expect_download() as download_info:
        funnel_card.get_by_role("link", name="Download CSV").click()
    rows = list(csv.reader(io.StringIO(download_info.value.path().read_text())))
    assert rows[0] == ["stage", "count", "conversion_from_previous"]
    filters = Filters(date(2026, 7, 1), date(2026, 9, 1), segment=Segment.objects.get(name=choice))
    expected = Board(filters).funnel().rows
    assert [(r[0], int(r[1])) for r in rows[1:]] == [(s, c) for s, c, _ in expected]
    assert sum(c for _, c, _ in expected) > 0
    assert not [m for m in console if "Content Security Policy" in m or "strict CSP" in m]


def test_a_manager_drafts_the_next_agenda_and_closes_an_action_item(
    page, live_server, demo_small
) -> None:
    upcoming = Meeting.objects.filter(held_on__gte=AS_OF.date()).order_by("held_on")[0]
    browser_login(page, live_server.url, "marketing-manager", DEMO_PASSWORD)
    page.get_by_role("link", name="Meetings").click()
    page.locator(f'a[href="/meetings/{upcoming.pk}/"]').first.click()
    page.get_by_role("button", name="Draft from the data").click()
    page.locator("#agenda li").first.wait_for()
    _shot(page, "manager_agenda")
    assert upcoming.agenda.count() > 0
    status = page.locator("select[id^=carried-status-]").first
    item = ActionItem.objects.get(pk=int(status.get_attribute("id").rsplit("-", 1)[1]))
    assert item.status == ActionItemStatus.OPEN
    status.select_option(ActionItemStatus.DONE)
    status.locator("xpath=ancestor::form").get_by_role("button", name="Update").click()
    page.wait_for_load_state()
    _shot(page, "manager_item_done")
    item.refresh_from_db()
    assert item.status == ActionItemStatus.DONE
