"""The scorecard and definitions pages, on an empty database and on the demo company."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from accord.metrics.gateway import run
from accord.metrics.models import MetricVersion
from accord.metrics.registry import MetricQuery
from accord.metrics.scorecard import month_parse
from tests.conftest import Cast, login

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings(r"ignore:fetch_arrow_table\(\) is deprecated:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning:ibis.formats"),
]


def test_empty_database_shows_the_scorecard_with_an_empty_state(client: Client, cast: Cast) -> None:
    login(client, cast.rep)
    response = client.get("/metrics/?from=2024-01&to=2024-03")
    html = response.content.decode()
    assert response.status_code == 200
    assert "nothing to measure" in html
    assert "MQL → SAL conversion" in html and "v1" in html
    assert 'value="2024-01"' in html and 'value="2024-03"' in html  # the choice stays in the form
    assert "could not be computed" not in html
    assert "Refresh the data now" not in html  # a rep does not refresh


def test_the_default_period_is_the_last_full_quarter(client: Client, cast: Cast) -> None:
    login(client, cast.sales_manager)
    html = client.get("/metrics/").content.decode()
    assert 'name="from" id="from" value="' in html
    assert "Refresh the data now" in html


def test_demo_company_scorecard_matches_the_gateway(client: Client, demo_small) -> None:
    manager = User.objects.get(username="sales-manager")
    client.force_login(manager)
    response = client.get("/metrics/?from=2026-07&to=2026-09")
    html = response.content.decode()
    assert response.status_code == 200
    assert "nothing to measure" not in html and "could not be computed" not in html
    query = MetricQuery(start=month_parse("2026-07", "from"), end=month_parse("2026-10", "to"))
    value = run("conversion_mql_to_sal", query).value
    assert value is not None and f"{value:.1%}" in html
    assert "Of the leads that entered the MQL stage" in html


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ("from=2026-13", "From: expected a month as YYYY-MM"),
        ("from=2026-05&to=2026-01", "From 2026-05 is after To 2026-01"),
        ("segment=Mars", "Segment: no segment named &#x27;Mars&#x27;"),
    ],
)
def test_bad_choices_are_explained(client: Client, cast: Cast, params: str, message: str) -> None:
    login(client, cast.marketer)
    response = client.get(f"/metrics/?{params}")
    assert response.status_code == 400
    assert message in response.content.decode()


def test_a_login_without_a_person_is_refused(client: Client, db) -> None:
    client.force_login(User.objects.create_user("stranger", password="x"))
    assert client.get("/metrics/").status_code == 403


def test_only_managers_refresh(client: Client, cast: Cast) -> None:
    login(client, cast.rep)
    response = client.post("/metrics/refresh", {"next": "/metrics/"}, follow=True)
    assert "Only managers and admins refresh" in response.content.decode()
    login(client, cast.marketing_manager)
    response = client.post("/metrics/refresh", {"next": "/metrics/?from=2024-01"}, follow=True)
    assert "The data is being refreshed" in response.content.decode()
    assert response.redirect_chain[-1][0] == "/metrics/?from=2024-01"


def test_definitions_page_on_an_empty_database(client: Client, cast: Cast) -> None:
    login(client, cast.rep)
    html = client.get("/metrics/definitions/").content.decode()
    assert "Nothing awaits a signature" in html
    assert "within_hours = 1" in html  # the response window, as first written
    assert "Propose a new wording" not in html  # reps do not propose


def test_propose_then_both_sides_sign(client: Client, cast: Cast) -> None:
    login(client, cast.cro)
    client.post(
        "/metrics/definitions/propose",
        {
            "metric": "conversion_to_sql_contacted_fast",
            "definition": "MQLs we called within two hours.",
            "parameters": "within_hours = 2",
        },
    )
    version = MetricVersion.objects.get()
    assert (version.version, version.parameters) == (2, {"within_hours": 2.0})
    html = client.get("/metrics/definitions/").content.decode()
    assert "MQLs we called within two hours." in html and "Sign for" not in html
    for manager in (cast.sales_manager, cast.marketing_manager):
        login(client, manager)
        client.post(f"/metrics/definitions/{version.pk}/sign", follow=True)
    version.refresh_from_db()
    assert version.in_force_from is not None
    html = client.get("/metrics/?from=2024-01&to=2024-03").content.decode()
    assert "MQLs we called within two hours." in html and "v2, signed" in html


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"metric": "win_rate", "definition": ""}, "Choose a metric and say what it means."),
        (
            {"metric": "conversion_mql_to_sal", "definition": "x", "parameters": "speed = 3"},
            "conversion_mql_to_sal has no parameter &#x27;speed&#x27;",
        ),
        (
            {"metric": "response_speed_lift", "definition": "x", "parameters": "within_hours"},
            "write one &#x27;name = number&#x27; per line",
        ),
    ],
)
def test_bad_proposals_are_refused(client: Client, cast: Cast, fields: dict, message: str) -> None:
    login(client, cast.sales_manager)
    response = client.post("/metrics/definitions/propose", fields, follow=True)
    assert message in response.content.decode()
    assert not MetricVersion.objects.exists()


def test_a_rep_cannot_sign(client: Client, cast: Cast) -> None:
    login(client, cast.cro)
    client.post(
        "/metrics/definitions/propose", {"metric": "win_rate", "definition": "Wins over closes."}
    )
    login(client, cast.rep)
    response = client.post(
        f"/metrics/definitions/{MetricVersion.objects.get().pk}/sign", follow=True
    )
    assert "Only a sales manager or a marketing manager signs" in response.content.decode()
