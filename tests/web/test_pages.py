from __future__ import annotations

import pytest

from tests.conftest import Cast, login

ROLES = (
    "rep",
    "marketer",
    "brand",
    "liaison",
    "sales_manager",
    "marketing_manager",
    "cro",
    "admin",
)
PAGES = ("/", "/people/", "/inbox/")


@pytest.mark.parametrize("role", ROLES)
def test_every_page_renders_on_an_empty_database(client, cast: Cast, role: str) -> None:
    login(client, getattr(cast, role))
    for page in PAGES:
        response = client.get(page)
        assert response.status_code == 200, (role, page)


def test_home_shows_a_rep_their_queue_and_a_manager_the_scorecard(client, cast: Cast) -> None:
    login(client, cast.rep)
    html = client.get("/").content.decode()
    assert "My leads, closest SLA deadline first" in html
    assert "No leads are waiting for you" in html
    login(client, cast.cro)
    html = client.get("/").content.decode()
    assert "This quarter so far" in html


def test_login_page_and_health(client, db) -> None:
    assert client.get("/login/").status_code == 200
    assert client.get("/health").json() == {"status": "ok"}
    assert client.get("/").status_code == 302


def test_login_with_wrong_password_says_so(client, cast: Cast) -> None:
    response = client.post("/login/", {"username": "rep", "password": "wrong"})
    assert "do not match" in response.content.decode()


def test_user_without_person_gets_a_helpful_home(client, django_user_model) -> None:
    user = django_user_model.objects.create_user("ghost", password="x")
    client.force_login(user)
    assert "not linked to a person" in client.get("/").content.decode()
