"""A manager runs a survey round and an employee answers it, in real Chromium."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.core import mail
from django.db import connection

from accord.diagnostic.models import Invitation, Response
from accord.diagnostic.services import LINK_USED, ROUND_DATES, token_hash
from tests.conftest import SCREENSHOTS, Cast, browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ANONYMOUS_COLUMNS = {
    "id",
    "round_id",
    "team_kind",
    "role_group",
    "answers",
    "comment",
    "submitted_on",
}


def _manager_starts_a_round(page, base_url: str) -> None:
    page.get_by_role("link", name="Alignment survey").click()
    page.get_by_role("link", name="Start a new round").click()
    page.get_by_label("Name").fill("Winter check")
    page.get_by_label("Instrument version").select_option(index=0)
    page.get_by_label("Opens on").fill((date.today() - timedelta(days=1)).isoformat())
    page.get_by_label("Closes on").fill((date.today() - timedelta(days=2)).isoformat())
    page.get_by_role("button", name="Create the round").click()
    assert page.locator("#id_closes_on_error").inner_text() == ROUND_DATES
    page.screenshot(path=str(SCREENSHOTS / "survey_journey_round_error.png"), full_page=True)
    page.get_by_label("Closes on").fill((date.today() + timedelta(days=14)).isoformat())
    page.get_by_role("button", name="Create the round").click()
    page.wait_for_selector("text=Now choose who to invite")
    page.get_by_label("Everyone in Sales One (2)").check()
    page.screenshot(path=str(SCREENSHOTS / "survey_journey_invite.png"), full_page=True)
    page.get_by_role("button", name="Send invitations").click()
    page.wait_for_selector("text=Sent 2 invitations.")


def _employee_answers(context, link: str) -> dict[str, int]:
    page = context.new_page()
    page.goto(link)
    statements = page.locator("fieldset.statement")
    assert statements.count() == 20
    chosen = {}
    for i in range(20):
        value = 1 + i % 5
        statements.nth(i).locator(f"input[type=radio][value='{value}']").check()
        chosen[f"q{i + 1}"] = value
    page.get_by_label("Anything else? (optional)").fill("Joint meetings help.")
    page.screenshot(path=str(SCREENSHOTS / "survey_journey_answer.png"), full_page=True)
    page.get_by_role("button", name="Send my answers").click()
    page.get_by_role("heading", name="Thank you").wait_for()
    page.screenshot(path=str(SCREENSHOTS / "survey_journey_thanks.png"), full_page=True)
    page.goto(link)
    page.get_by_role("heading", name="This link cannot take an answer").wait_for()
    assert LINK_USED in page.locator("[role=alert]").inner_text()
    page.screenshot(path=str(SCREENSHOTS / "survey_journey_used_link.png"), full_page=True)
    return chosen


def test_a_survey_answered_through_its_link_cannot_be_traced(
    page, chromium, live_server, cast: Cast, settings
) -> None:
    settings.ACCORD_BASE_URL = live_server.url
    SCREENSHOTS.mkdir(exist_ok=True)
    browser_login(page, live_server.url, "cro")
    _manager_starts_a_round(page, live_server.url)
    [message] = [m for m in mail.outbox if m.to == [cast.rep.email]]
    link = re.search(r"^(http\S+/diagnostic/answer/\S+/)$", message.body, re.M).group(1)
    token = link.rstrip("/").rsplit("/", 1)[1]

    employee = chromium.new_context(viewport={"width": 390, "height": 844})  # a phone
    try:
        chosen = _employee_answers(employee, link)
    finally:
        employee.close()

    response = Response.objects.get()
    assert response.answers == chosen and response.comment == "Joint meetings help."
    assert type(response.submitted_on) is date  # the day, never a time
    assert (response.team_kind, response.role_group) == ("sales", "sales")
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM diagnostic_response")
        columns = {c[0] for c in cursor.description}
        [row] = cursor.fetchall()
    assert columns == ANONYMOUS_COLUMNS  # no person, token, invitation or timestamp
    invitation = Invitation.objects.get(person=cast.rep)
    stored = " ".join(str(v) for v in row)
    for secret in (token, token_hash(token), invitation.nonce, cast.rep.email, cast.rep.name):
        assert secret not in stored
    assert invitation.used
    assert not Invitation.objects.get(person=cast.sales_manager).used

    page.reload()  # the manager's run page: counts, never names
    facts = page.locator("dl.facts").inner_text()
    assert "Invited\n2" in facts and "Answered\n1" in facts
    assert cast.rep.name not in page.content()
    page.get_by_role("link", name="Back to the rounds").click()
    page.get_by_role("link", name="Trend by theme, sales beside marketing").click()
    total = page.locator("section", has=page.locator("#m-total")).inner_text()
    assert "Winter check" in total and "—" in total and "None" not in total  # one answer: no figure
