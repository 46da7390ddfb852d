"""The funnel over the API: the same moves and the same access as the pages."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from accord.api.services import token_create
from accord.crm.choices import LeadEventKind, LeadStage, RejectionReason
from accord.crm.models import Lead, LeadEvent
from accord.directory.models import Person
from accord.funnel import services
from tests.api.conftest import ApiClient
from tests.conftest import AS_OF

ApiAs = Callable[[Person], ApiClient]


@pytest.fixture
def api_as(client) -> ApiAs:
    return lambda person: ApiClient(client, token_create(person=person)[1])


def test_a_rep_accepts_their_mql(cast, make_lead, api_as) -> None:
    lead = make_lead(owner=cast.rep)
    answer = api_as(cast.rep).post(f"/api/v1/leads/{lead.pk}/accept", {})
    assert answer.status_code == 200
    assert answer.json() == {"id": lead.pk, "stage": LeadStage.SAL, "version": 1}
    assert lead.events.get().kind == LeadEventKind.ACCEPTED


def test_the_second_accept_is_a_conflict_with_the_services_message(cast, make_lead, api_as) -> None:
    lead, api = make_lead(owner=cast.rep), api_as(cast.rep)
    assert api.post(f"/api/v1/leads/{lead.pk}/accept", {}).status_code == 200
    second = api.post(f"/api/v1/leads/{lead.pk}/accept", {})
    assert second.status_code == 409
    assert second.json() == {"detail": services.ACCEPT_NEEDS_MQL, "errors": []}
    assert lead.events.count() == 1


def test_reject_with_a_reason_recycles_the_lead(cast, make_lead, api_as) -> None:
    lead = make_lead(owner=cast.rep)
    payload = {"reason": RejectionReason.NO_BUDGET, "note": "Next year"}
    answer = api_as(cast.rep).post(f"/api/v1/leads/{lead.pk}/reject", payload)
    assert answer.status_code == 200
    assert answer.json()["stage"] == LeadStage.RECYCLED
    lead.refresh_from_db()
    assert lead.rejection_reason == RejectionReason.NO_BUDGET
    assert lead.events.get().note == "Next year"


@pytest.mark.parametrize("payload", [{}, {"reason": None, "note": "no"}])
def test_reject_without_a_reason_is_422_in_the_error_shape(
    cast, make_lead, api_as, payload
) -> None:
    lead = make_lead(owner=cast.rep)
    answer = api_as(cast.rep).post(f"/api/v1/leads/{lead.pk}/reject", payload)
    assert answer.status_code == 422
    body = answer.json()
    assert set(body) == {"detail", "errors"}
    assert [error["field"] for error in body["errors"]] == ["reason"]
    assert body["errors"][0]["message"].startswith("Choose a reason code")
    assert Lead.objects.get(pk=lead.pk).stage == LeadStage.MQL


def test_other_without_a_note_is_422_on_the_note(cast, make_lead, api_as) -> None:
    lead = make_lead(owner=cast.rep)
    answer = api_as(cast.rep).post(f"/api/v1/leads/{lead.pk}/reject", {"reason": "other"})
    assert answer.status_code == 422
    assert answer.json()["errors"] == [{"field": "note", "message": services.NOTE_REQUIRED}]


def test_an_unknown_reason_code_is_invalid_input(cast, make_lead, api_as) -> None:
    lead = make_lead(owner=cast.rep)
    answer = api_as(cast.rep).post(f"/api/v1/leads/{lead.pk}/reject", {"reason": "bored"})
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["field"] == "reason"


def test_recycle_an_accepted_lead(cast, make_lead, api_as) -> None:
    lead = make_lead(owner=cast.rep, stage=LeadStage.SAL)
    payload = {"reason": RejectionReason.BAD_TIMING}
    answer = api_as(cast.rep).post(f"/api/v1/leads/{lead.pk}/recycle", payload)
    assert answer.status_code == 200
    assert answer.json()["stage"] == LeadStage.RECYCLED


def test_recycling_a_recycled_lead_is_a_conflict(cast, make_lead, api_as) -> None:
    lead = make_lead(owner=cast.rep, stage=LeadStage.RECYCLED)
    payload = {"reason": RejectionReason.BAD_TIMING}
    answer = api_as(cast.rep).post(f"/api/v1/leads/{lead.pk}/recycle", payload)
    assert answer.status_code == 409
    assert answer.json()["detail"] == services.RECYCLE_NOT_ALLOWED


@pytest.mark.parametrize("who", ["other_rep", "marketer"])
def test_someone_elses_lead_and_marketing_get_404(cast, make_lead, api_as, who) -> None:
    lead = make_lead(owner=cast.rep)
    api = api_as(getattr(cast, who))
    for path, payload in [("accept", {}), ("reject", {"reason": "duplicate"})]:
        answer = api.post(f"/api/v1/leads/{lead.pk}/{path}", payload)
        assert answer.status_code == 404
        assert answer.json() == {"detail": "Not found.", "errors": []}
    assert Lead.objects.get(pk=lead.pk).version == 0


def test_an_id_past_the_databases_range_is_404(cast, api_as) -> None:
    assert api_as(cast.rep).post(f"/api/v1/leads/{2**63}/accept", {}).status_code == 404


def test_the_reason_is_a_required_enum_in_the_schema(client, db) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    paths = schema["paths"]
    body = paths["/api/v1/leads/{lead_id}/reject"]["post"]["requestBody"]
    ref = body["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    reason_in = schema["components"]["schemas"][ref]
    assert "reason" in reason_in["required"]
    reason_ref = reason_in["properties"]["reason"]["$ref"].rsplit("/", 1)[1]
    assert schema["components"]["schemas"][reason_ref]["enum"] == RejectionReason.values
    assert "422" in paths["/api/v1/leads/{lead_id}/recycle"]["post"]["responses"]
    assert "get" in paths["/api/v1/lead-events"]


def _events(cast, make_lead) -> tuple[Lead, Lead]:
    mine, theirs = make_lead(owner=cast.rep), make_lead(owner=cast.other_rep)
    for n in range(3):
        at = AS_OF + timedelta(hours=n)
        for lead in (mine, theirs):
            LeadEvent.objects.create(
                lead=lead, occurred_at=at, kind=LeadEventKind.SCORED, data={"n": n}
            )
    return mine, theirs


def test_the_event_stream_pages_from_since(cast, make_lead, api_as) -> None:
    _events(cast, make_lead)
    api, seen = api_as(cast.cro), []
    params = {"since": (AS_OF + timedelta(hours=1)).isoformat(), "limit": 3}
    page = api.get("/api/v1/lead-events", **params).json()
    seen += page["items"]
    page = api.get("/api/v1/lead-events", cursor=page["next_cursor"], **params).json()
    seen += page["items"]
    assert page["next_cursor"] is None
    assert [event["data"]["n"] for event in seen] == [1, 1, 2, 2]
    assert [event["id"] for event in seen] == sorted(event["id"] for event in seen)


def test_a_rep_sees_only_their_leads_events(cast, make_lead, api_as) -> None:
    mine, _ = _events(cast, make_lead)
    items = api_as(cast.rep).get("/api/v1/lead-events").json()["items"]
    assert {event["lead_id"] for event in items} == {mine.pk}
    assert len(items) == 3


def test_a_bad_cursor_is_invalid_input(cast, api_as) -> None:
    answer = api_as(cast.rep).get("/api/v1/lead-events", cursor="nonsense")
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["field"] == "cursor"


def test_an_id_that_is_no_number_is_invalid_input(cast, api_as) -> None:
    answer = api_as(cast.rep).post("/api/v1/leads/null,null/accept", {})
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["field"] == "lead_id"
