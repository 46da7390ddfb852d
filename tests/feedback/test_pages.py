"""Every feedback page renders with the demo company and with an empty database."""

from __future__ import annotations

import time
from collections import defaultdict
from datetime import date

import pytest

from accord.directory.access import leads_for_user, opportunities_for_user
from accord.directory.models import Person
from accord.feedback.demo import feedback_demo_build
from accord.feedback.models import Feedback, FeedbackKind
from accord.feedback.queries import themes_for_period
from tests.conftest import AS_OF, Cast, login

PAGES = ("/feedback/", "/feedback/new/", "/feedback/mine/")


def person(username: str) -> Person:
    return Person.objects.get(user__username=username)


def test_the_demo_year_of_feedback_tells_its_story(demo_small) -> None:
    notes = list(Feedback.objects.all())
    assert 200 <= len(notes) <= 600
    months = sorted({n.noted_at.date().replace(day=1) for n in notes})
    assert months[0] == date(2025, 11, 1) and months[-1] == date(2026, 10, 1)
    assert len(months) == 12
    northwind = [n for n in notes if n.competitor == "Northwind"]
    assert northwind and min(n.noted_at.date() for n in northwind) >= date(2026, 5, 1)
    objections = defaultdict(int)
    for n in notes:
        if n.kind == FeedbackKind.OBJECTION:
            objections[n.noted_at.date().replace(day=1)] += 1
    assert sum(objections[m] for m in months[-3:]) > 2 * sum(objections[m] for m in months[:3])
    themes = themes_for_period(date(2026, 5, 1), date(2026, 10, 31))
    assert any("northwind" in t.top_terms and t.is_new for t in themes)


def test_demo_reps_report_only_on_what_they_can_see(demo_small) -> None:
    by_author = defaultdict(list)
    for note in Feedback.objects.select_related("author__user"):
        by_author[note.author].append(note)
    for author, notes in by_author.items():
        deals = set(opportunities_for_user(author.user).values_list("pk", flat=True))
        leads = set(leads_for_user(author.user).values_list("pk", flat=True))
        for note in notes:
            assert note.opportunity_id is None or note.opportunity_id in deals
            assert note.lead_id is None or note.lead_id in leads
            assert note.account.owner_id == author.pk


def test_the_demo_feedback_is_deterministic_and_quick(demo_small) -> None:
    def snapshot() -> list[tuple]:
        return list(
            Feedback.objects.order_by("idempotency_key").values_list(
                "idempotency_key", "text", "noted_at", "account_id", "opportunity_id", "lead_id"
            )
        )

    first = snapshot()
    Feedback.objects.all().delete()
    started = time.process_time()  # CPU time: the test machines are shared
    feedback_demo_build(AS_OF, seed=7)
    assert time.process_time() - started < 2.0
    assert snapshot() == first


def test_pages_with_the_demo_company(client, demo_small) -> None:
    for username in ("marketer", "sales-manager", "cro", "rep"):
        login(client, person(username))
        for url in PAGES:
            response = client.get(url, follow=True)
            assert response.status_code == 200, (username, url)
        response = client.get("/feedback/", follow=True)
        html = response.content.decode()
        if username == "rep":
            assert "Notes you left" in html and "Monthly digest" not in html
            continue
        assert "October 2026" in html
        assert "Themes in what reps heard" in html
        assert "Northwind" in html and "Objection heard" in html
        themes = response.context["digest"].themes
        assert len(themes) >= 3
        assert all(f"<strong>{t.label}</strong>" in html for t in themes)


def test_a_month_can_be_picked_and_a_bad_month_is_explained(client, demo_small) -> None:
    login(client, person("marketer"))
    html = client.get("/feedback/?month=2026-03").content.decode()
    assert "March 2026" in html and "Northwind" not in html.split("Competitors named")[-1]
    html = client.get("/feedback/?month=March").content.decode()
    assert "&#x27;March&#x27; is not a month like 2026-10" in html


@pytest.mark.parametrize("role", ["rep", "marketer", "cro"])
def test_pages_with_an_empty_database(client, cast: Cast, role) -> None:
    login(client, getattr(cast, role))
    pages = {url: client.get(url, follow=True) for url in PAGES}
    assert all(r.status_code == 200 for r in pages.values())
    mine = pages["/feedback/mine/"].content.decode()
    assert "You have not left any feedback yet." in mine
    form = pages["/feedback/new/"].content.decode()
    assert "You have no open deals, leads or accounts to choose from yet" in form
    if role != "rep":
        digest = pages["/feedback/"].content.decode()
        assert "No field feedback yet." in digest
        assert "accord feedback-import FILE.csv" in digest


def test_the_pages_need_a_login(client, db) -> None:
    for url in PAGES:
        assert client.get(url).status_code == 302
