"""The CSV of owner and stage changes: page download and API, spreadsheet-safe, scoped."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from accord.api.services import token_create
from accord.crm.choices import LeadStage, RejectionReason
from accord.funnel import export, services
from tests.api.conftest import ApiClient
from tests.conftest import AS_OF, login


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def _download(response) -> str:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return b"".join(response.streaming_content).decode()


@pytest.fixture
def moved(cast, make_lead):
    """One lead accepted by the rep an hour before AS_OF and rejected at AS_OF; one untouched."""
    lead = make_lead()
    with time_machine.travel(AS_OF - timedelta(hours=1), tick=False):
        services.lead_accept(lead=lead, by=cast.rep)
    lead.refresh_from_db()
    with time_machine.travel(AS_OF, tick=False):
        services.lead_recycle(lead=lead, by=cast.rep, reason=RejectionReason.BAD_TIMING)
        services.lead_record_contact(lead=make_lead(owner=cast.rep), by=cast.rep)
    return lead


def test_every_owner_and_stage_change_with_its_owner(client, cast, moved) -> None:
    login(client, cast.rep)
    rows = _rows(_download(client.get(reverse("funnel:changes_csv"))))
    assert list(rows[0]) == list(export.COLUMNS)
    assert [(r["change"], r["from_stage"], r["to_stage"]) for r in rows] == [
        ("accepted", LeadStage.MQL, LeadStage.SAL),
        ("recycled", LeadStage.SAL, LeadStage.RECYCLED),
    ]
    accepted, recycled = rows
    assert accepted["occurred_at"] == (AS_OF - timedelta(hours=1)).isoformat()
    assert (accepted["owner_id"], accepted["owner_name"]) == (str(cast.rep.pk), "Rep")
    assert accepted["owner_email"] == "rep@example.com"
    assert (recycled["owner_id"], recycled["reason"]) == ("", RejectionReason.BAD_TIMING)
    assert {r["lead_id"] for r in rows} == {str(moved.pk)}
    assert all(r["change_id"].isdigit() for r in rows)


def test_since_keeps_only_later_changes(client, cast, moved) -> None:
    login(client, cast.rep)
    url = reverse("funnel:changes_csv")
    later = _rows(_download(client.get(url, {"since": "2026-11-23T11:30"})))
    assert [r["change"] for r in later] == ["recycled"]
    assert len(_rows(_download(client.get(url, {"since": "2026-11-23"})))) == 2
    assert _rows(_download(client.get(url, {"since": "2026-11-24"}))) == []


def test_a_bad_since_names_the_field_and_the_format(client, cast, moved) -> None:
    login(client, cast.rep)
    response = client.get(reverse("funnel:changes_csv"), {"since": "last tuesday"})
    assert response.status_code == 400
    assert "“Since” must be a date (2026-11-01)" in response.content.decode()


def test_another_reps_leads_are_not_in_my_file(client, cast, moved) -> None:
    login(client, cast.other_rep)
    assert _rows(_download(client.get(reverse("funnel:changes_csv")))) == []
    login(client, cast.marketer)  # marketing follows every lead
    assert len(_rows(_download(client.get(reverse("funnel:changes_csv"))))) == 2


def test_text_that_would_run_as_a_formula_is_defused(client, cast, make_lead) -> None:
    cast.rep.name = "=HYPERLINK(evil)"
    cast.rep.save()
    lead = make_lead(external_id="+44 lead", source="hubspot")
    services.lead_accept(lead=lead, by=cast.rep)
    login(client, cast.rep)
    [row] = _rows(_download(client.get(reverse("funnel:changes_csv"))))
    assert row["owner_name"] == "'=HYPERLINK(evil)"
    assert row["lead_external_id"] == "'+44 lead"


def test_the_api_serves_the_same_file(client, cast, moved) -> None:
    api = ApiClient(client, token_create(person=cast.rep)[1])
    rows = _rows(_download(api.get("/api/v1/lead-changes.csv", since="2026-11-23T11:30:00Z")))
    assert [r["change"] for r in rows] == ["recycled"]
    assert api.get("/api/v1/lead-changes.csv", since="yesterday").status_code == 400
    assert ApiClient(client, None).get("/api/v1/lead-changes.csv").status_code == 401


def test_the_changes_page_with_no_webhook_and_no_changes(client, cast, monkeypatch) -> None:
    monkeypatch.delenv("ACCORD_CRM_WEBHOOK_URL", raising=False)
    login(client, cast.rep)
    html = client.get(reverse("funnel:changes")).content.decode()
    assert "The webhook is off" in html and 'class="empty"' in html
    assert _rows(_download(client.get(reverse("funnel:changes_csv")))) == []


def test_the_changes_page_and_file_with_the_demo_company(client, demo_small) -> None:
    from accord.directory.models import Person

    login(client, Person.objects.get(user__username="cro"))
    assert client.get(reverse("funnel:changes")).status_code == 200
    rows = _rows(_download(client.get(reverse("funnel:changes_csv"), {"since": "2026-11-01"})))
    assert rows and all(r["occurred_at"] >= "2026-11-01" for r in rows)
