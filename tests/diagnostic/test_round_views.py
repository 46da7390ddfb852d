"""Running a round through the pages: create, invite, remind, close."""

from __future__ import annotations

from datetime import date

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from accord.diagnostic import services
from accord.diagnostic.forms import NOBODY_CHOSEN
from accord.diagnostic.models import Invitation, Round, RoundStatus
from tests.conftest import Cast, login


def _csrf_client(person) -> Client:
    client = Client(enforce_csrf_checks=True)
    login(client, person)
    client.get("/")  # the home page sets the CSRF cookie
    return client


def _post(client: Client, url: str, data: dict | None = None):
    return client.post(
        url, {**(data or {}), "csrfmiddlewaretoken": client.cookies["csrftoken"].value}
    )


@pytest.fixture
def open_round(db) -> Round:
    today = date.today()
    return services.round_create(
        name="Spring check",
        opens_on=date(today.year - 1, 1, 1),
        closes_on=date(today.year + 1, 1, 1),
    )


def test_manager_creates_a_round(cast: Cast) -> None:
    client = _csrf_client(cast.sales_manager)
    page = client.get(reverse("diagnostic:round_new"))
    assert page.status_code == 200 and "2026.1" in page.content.decode()
    version = Round._meta.get_field("instrument").related_model.objects.get()
    data = {
        "name": "Q1 2027",
        "instrument": version.pk,
        "opens_on": "2027-01-10",
        "closes_on": "2027-01-31",
    }
    done = _post(client, reverse("diagnostic:round_new"), data)
    created = Round.objects.get()
    assert done.status_code == 302 and done["Location"] == reverse(
        "diagnostic:round_invite", args=[created.pk]
    )
    assert created.created_by == cast.sales_manager and created.closes_on == date(2027, 1, 31)


def test_round_form_shows_errors_next_to_fields(cast: Cast) -> None:
    client = _csrf_client(cast.cro)
    client.get(reverse("diagnostic:round_new"))
    version = Round._meta.get_field("instrument").related_model.objects.get()
    data = {
        "name": "",
        "instrument": version.pk,
        "opens_on": "2027-02-01",
        "closes_on": "2027-01-31",
    }
    html = _post(client, reverse("diagnostic:round_new"), data).content.decode()
    assert 'id="id_name_error">This field is required.' in html
    assert f'id="id_closes_on_error">{services.ROUND_DATES}' in html
    assert Round.objects.count() == 0


def test_post_without_csrf_is_refused(cast: Cast, open_round: Round) -> None:
    client = Client(enforce_csrf_checks=True)
    login(client, cast.cro)
    for name in ("round_invite", "round_remind", "round_close"):
        assert client.post(reverse(f"diagnostic:{name}", args=[open_round.pk])).status_code == 403
    assert client.post(reverse("diagnostic:round_new"), {"name": "x"}).status_code == 403
    assert Round.objects.get().status == RoundStatus.OPEN


def test_invite_by_team_role_and_person_mails_links(
    cast: Cast, open_round: Round, django_capture_on_commit_callbacks
) -> None:
    client = _csrf_client(cast.marketing_manager)
    url = reverse("diagnostic:round_invite", args=[open_round.pk])
    html = client.get(url).content.decode()
    assert "Everyone in Sales One (2)" in html and "Every sales rep" in html
    data = {"teams": [cast.marketer.team.pk], "roles": ["revenue_leader"], "people": [cast.rep.pk]}
    with django_capture_on_commit_callbacks(execute=True):
        done = _post(client, url, data)
    assert done.status_code == 302
    invited = {i.person for i in Invitation.objects.select_related("person")}
    expected = {cast.marketer, cast.brand, cast.liaison, cast.marketing_manager, cast.cro, cast.rep}
    assert invited == expected
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in expected)
    page = client.get(done["Location"]).content.decode()
    assert "Sent 6 invitations." in page and "<dd>6</dd>" in page
    # Invited people are marked and never invited twice.
    again = client.get(url).content.decode()
    assert f'value="{cast.rep.pk}" disabled' in again
    with django_capture_on_commit_callbacks(execute=True):
        _post(client, url, {"people": [cast.rep.pk]})
    assert Invitation.objects.count() == 6 and len(mail.outbox) == 6


def test_invite_with_nobody_chosen_says_so(cast: Cast, open_round: Round) -> None:
    client = _csrf_client(cast.cro)
    html = _post(client, reverse("diagnostic:round_invite", args=[open_round.pk])).content.decode()
    assert NOBODY_CHOSEN in html and Invitation.objects.count() == 0


def test_remind_counts_without_naming_and_close_refuses_links(
    cast: Cast, open_round: Round, django_capture_on_commit_callbacks
) -> None:
    sent = services.round_invite(round=open_round, people=[cast.rep, cast.marketer, cast.brand])
    token = sent[0].link.rstrip("/").rsplit("/", 1)[1]
    services.response_submit(token=token, answers={f"q{i}": 3 for i in range(1, 21)})
    mail.outbox.clear()
    client = _csrf_client(cast.cro)
    with django_capture_on_commit_callbacks(execute=True):
        done = _post(client, reverse("diagnostic:round_remind", args=[open_round.pk]))
    page = client.get(done["Location"]).content.decode()
    assert "Sent 2 reminders." in page and len(mail.outbox) == 2
    for person in (cast.rep, cast.marketer, cast.brand):
        assert person.name not in page and person.email not in page
    _post(client, reverse("diagnostic:round_close", args=[open_round.pk]))
    assert Round.objects.get().status == RoundStatus.CLOSED
    refused = client.get("/" + sent[1].link.split("/", 3)[3])
    assert refused.status_code == 410 and services.ROUND_CLOSED in refused.content.decode()
    late = _post(client, reverse("diagnostic:round_remind", args=[open_round.pk]))
    assert services.ROUND_CLOSED in client.get(late["Location"]).content.decode()
    html = _post(
        client,
        reverse("diagnostic:round_invite", args=[open_round.pk]),
        {"people": [cast.liaison.pk]},
    )
    assert services.ROUND_CLOSED in client.get(html["Location"]).content.decode()
    assert Invitation.objects.count() == 3


@pytest.mark.parametrize("name", ["round_run", "round_invite", "round_remind", "round_close"])
def test_a_rep_cannot_run_rounds(cast: Cast, open_round: Round, name: str) -> None:
    client = _csrf_client(cast.rep)
    assert client.get(reverse("diagnostic:round_new")).status_code == 403
    assert _post(client, reverse("diagnostic:round_new"), {"name": "x"}).status_code == 403
    url = reverse(f"diagnostic:{name}", args=[open_round.pk])
    assert client.get(url).status_code in (404, 405)
    assert _post(client, url, {"people": [cast.rep.pk]}).status_code == 404
    assert Invitation.objects.count() == 0 and Round.objects.get().is_open
