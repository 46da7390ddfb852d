from __future__ import annotations

import json
import re
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from accord.diagnostic import services
from accord.diagnostic.models import Response, Round
from accord.directory.models import Person, Team
from accord.inbox.models import ActionItem
from tests.conftest import login

TODAY = date(2026, 11, 23)


def _token(link: str) -> str:
    return link.rstrip("/").rsplit("/", 1)[1]


def _path(link: str) -> str:
    return "/" + link.split("/", 3)[3]


@pytest.fixture
def open_round(db) -> Round:
    today = date.today()
    return services.round_create(
        name="Autumn check",
        opens_on=date(today.year - 1, 1, 1),
        closes_on=date(today.year + 1, 1, 1),
    )


def _people(team: Team, n: int, prefix: str, role: str = "sales_rep") -> list[Person]:
    return [
        Person.objects.create(
            name=f"{prefix}{i}", email=f"{prefix}{i}@x.test", role=role, team=team
        )
        for i in range(n)
    ]


def _answer_all(round_: Round, people: list[Person], value: int, comment: str = "") -> None:
    for sent in services.round_invite(round=round_, people=people):
        answers = {f"q{i}": value for i in range(1, 21)}
        services.response_submit(token=_token(sent.link), answers=answers, comment=comment)


def test_answer_form_with_csrf_then_link_is_spent(open_round: Round, cast) -> None:
    [sent] = services.round_invite(round=open_round, people=[cast.rep])
    client = Client(enforce_csrf_checks=True)
    page = client.get(_path(sent.link))
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('type="radio"') == 100
    assert "<legend>1. " in html and "<legend>20. " in html
    csrf = client.cookies["csrftoken"].value
    data = {f"q{i}": "4" for i in range(1, 21)} | {"comment": "good", "csrfmiddlewaretoken": csrf}
    missing = {k: v for k, v in data.items() if k != "q5"}
    again = client.post(_path(sent.link), missing)
    assert again.status_code == 200 and "Please choose a rating" in again.content.decode()
    assert Response.objects.count() == 0
    done = client.post(_path(sent.link), data)
    assert done.status_code == 200 and "Thank you" in done.content.decode()
    assert Response.objects.get().answers["q5"] == 4
    used = client.get(_path(sent.link))
    assert used.status_code == 410 and "already been used" in used.content.decode()


def test_post_without_csrf_is_refused(open_round: Round, cast) -> None:
    [sent] = services.round_invite(round=open_round, people=[cast.rep])
    client = Client(enforce_csrf_checks=True)
    data = {f"q{i}": "4" for i in range(1, 21)}
    assert client.post(_path(sent.link), data).status_code == 403
    assert Response.objects.count() == 0


def test_closed_round_link_is_refused(open_round: Round, cast, client) -> None:
    [sent] = services.round_invite(round=open_round, people=[cast.rep])
    services.round_close(round=open_round)
    page = client.get(_path(sent.link))
    assert page.status_code == 410 and "closed" in page.content.decode()
    assert client.get("/diagnostic/answer/not-a-token/").status_code == 410


def test_only_managers_see_results(open_round: Round, cast, client) -> None:
    login(client, cast.rep)
    assert client.get(reverse("diagnostic:rounds")).status_code == 403
    assert client.get(reverse("diagnostic:round", args=[open_round.pk])).status_code == 404
    login(client, cast.sales_manager)
    page = client.get(reverse("diagnostic:rounds"))
    assert page.status_code == 200 and "Autumn check" in page.content.decode()


def test_results_page_and_export(open_round: Round, cast, client) -> None:
    _answer_all(open_round, _people(cast.sales_team, 6, "s"), 2, comment="sales note")
    marketing = Team.objects.get(kind="marketing")
    _answer_all(open_round, _people(marketing, 5, "m"), 4, comment="marketing note")
    login(client, cast.cro)
    html = client.get(reverse("diagnostic:round", args=[open_round.pk])).content.decode()
    assert "Overall: 58.2 · Defined" in html
    assert "Perception gap (marketing minus sales): <strong>40.0</strong>" in html
    assert "sales note" in html and "marketing note" in html
    assert "Hold a joint meeting every month" in html
    data = client.get(reverse("diagnostic:round_export", args=[open_round.pk])).json()
    assert data["gap"] == 40.0 and data["teams"]["marketing"]["n"] == 5


def test_no_breakdown_under_five_is_reachable(open_round: Round, cast, client) -> None:
    _answer_all(open_round, _people(cast.sales_team, 6, "s"), 2, comment="sales note")
    marketing = Team.objects.get(kind="marketing")
    _answer_all(
        open_round, _people(marketing, 4, "m", "marketer"), 5, comment="secret marketing note"
    )
    login(client, cast.cro)
    html = client.get(reverse("diagnostic:round", args=[open_round.pk])).content.decode()
    export = client.get(reverse("diagnostic:round_export", args=[open_round.pk])).json()
    # Four marketers: their score (100) and, by complement, sales' (40) never appear.
    assert "secret marketing note" not in html and "sales note" not in html
    assert "100.0" not in html and "Hidden to keep answers anonymous" in html
    assert export["teams"] == {"sales": {"suppressed": True}, "marketing": {"suppressed": True}}
    assert export["gap"] is None
    assert "100.0" not in json.dumps(export) and "secret" not in json.dumps(export)
    for theme in export["themes"].values():
        assert theme["teams"] == {} and theme["gap"] is None
    # The role breakdown gets the same protection.
    assert all(g == {"suppressed": True} for g in export["roles"].values())
    assert re.search(r"Overall: 64\.0", html)


def test_fewer_than_five_shows_no_score(open_round: Round, cast, client) -> None:
    _answer_all(open_round, _people(cast.sales_team, 4, "s"), 2)
    login(client, cast.cro)
    html = client.get(reverse("diagnostic:round", args=[open_round.pk])).content.decode()
    assert "Results appear once at least five people have answered" in html
    export = client.get(reverse("diagnostic:round_export", args=[open_round.pk])).json()
    assert export["score"] is None and export["teams"] == {} and export["distribution"] == {}


def test_move_becomes_action_item(open_round: Round, cast) -> None:
    _answer_all(open_round, _people(cast.sales_team, 5, "s"), 3)
    client = Client(enforce_csrf_checks=True)
    login(client, cast.marketing_manager)
    url = reverse("diagnostic:round", args=[open_round.pk])
    html = client.get(url).content.decode()
    move = re.search(r'name="move" value="(\d+)"', html).group(1)
    csrf = client.cookies["csrftoken"].value
    post = {
        "move": move,
        "owner": cast.liaison.pk,
        "due_on": "2027-01-15",
        "csrfmiddlewaretoken": csrf,
    }
    response = client.post(reverse("diagnostic:move_adopt", args=[open_round.pk]), post)
    assert response.status_code == 302
    item = ActionItem.objects.get()
    assert item.owner == cast.liaison and item.due_on == date(2027, 1, 15)
    assert item.created_by == cast.marketing_manager
    assert item.origin == open_round
    assert (
        client.post(
            reverse("diagnostic:move_adopt", args=[open_round.pk]), {"move": move}
        ).status_code
        == 403
    )


def test_climb_questions_and_checklist(open_round: Round, cast, client) -> None:
    _answer_all(open_round, _people(cast.sales_team, 5, "s"), 4)  # total 80: Integrated
    _answer_all(open_round, _people(cast.sales_team, 5, "t"), 3)  # mean 70: Aligned
    login(client, cast.cro)
    url = reverse("diagnostic:round", args=[open_round.pk])
    html = client.get(url).content.decode()
    assert "Do we need to align more?" in html and "Integration checklist" in html
    html = client.get(url, {"yes": ["one_funnel_possible", "long_complex_cycles"]}).content.decode()
    assert "Aim for Integrated" in html
