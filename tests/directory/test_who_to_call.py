from __future__ import annotations

import pytest
from django.utils import timezone

from accord.crm.models import Account
from accord.directory.models import Segment, Topic
from tests.conftest import Cast, login


@pytest.fixture
def directory(cast: Cast) -> Cast:
    enterprise = Segment.objects.create(name="Enterprise", slug="enterprise", liaison=cast.liaison)
    cast.rep.segments.add(enterprise)
    cast.marketer.topics.add(Topic.objects.create(name="Pricing and discounts"))
    Account.objects.create(name="Globex Logistics", owner=cast.other_rep, created_at=timezone.now())
    return cast


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("other rep", "Other Rep"),  # by name
        ("globex", "Other Rep"),  # by an account they own
        ("pricing", "Marketer"),  # by topic
        ("brand manager", "Brand"),  # by role
    ],
)
def test_search_finds_the_right_person(client, directory: Cast, query: str, expected: str) -> None:
    login(client, directory.rep)
    response = client.get("/people/", {"q": query})
    assert response.status_code == 200
    names = [p.name for p in response.context["people"]]
    assert expected in names


def test_segment_filter_and_liaison(client, directory: Cast) -> None:
    login(client, directory.marketer)
    response = client.get("/people/", {"segment": "enterprise"})
    names = {p.name for p in response.context["people"]}
    assert names == {"Rep", "Liaison"}
    assert "Liaison for Enterprise" in response.content.decode()


def test_account_owner_answer(client, directory: Cast) -> None:
    login(client, directory.rep)
    html = client.get("/people/", {"q": "Globex"}).content.decode()
    assert "Globex Logistics</strong>: owned by Other Rep" in html


def test_htmx_request_gets_only_the_results_fragment(client, directory: Cast) -> None:
    login(client, directory.rep)
    response = client.get("/people/", {"q": "rep"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<html" not in html
    assert "Other Rep" in html


def test_nobody_found_says_so(client, directory: Cast) -> None:
    login(client, directory.rep)
    html = client.get("/people/", {"q": "zzzz-nobody"}).content.decode()
    assert "Nobody matches" in html


def test_anonymous_visitors_are_sent_to_login(client, db) -> None:
    response = client.get("/people/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_a_login_with_no_person_reads_no_one_s_details(client, cast, django_user_model) -> None:
    ghost = django_user_model.objects.create_user("ghost", password="x")
    client.force_login(ghost)
    response = client.get("/people/?q=a")
    assert response.status_code == 403
    assert cast.rep.email not in response.content.decode()
    cast.rep.is_active = False
    cast.rep.save()
    client.force_login(cast.rep.user)
    assert client.get("/people/").status_code == 403
