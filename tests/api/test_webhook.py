"""The signed lead webhook's contract: 202 once, 200 on replay, 401/400/413 store nothing."""

from __future__ import annotations

import time

import pytest

from accord.api import services
from accord.api.webhook import MAX_BODY_BYTES, signature_valid
from accord.crm.choices import LeadEventKind, SourceSystem
from accord.crm.models import Account, Campaign, Contact, Lead, LeadEvent, Touch
from tests.api.helpers import HOOK, SECRET, delivery, encode, signed_headers


@pytest.fixture(autouse=True)
def _secret(settings) -> None:
    settings.ACCORD_WEBHOOK_SECRET = SECRET


def post(client, payload, **header_options):
    body = payload if isinstance(payload, bytes) else encode(payload)
    return client.generic("POST", HOOK, body, headers=signed_headers(body, **header_options))


def nothing_stored() -> bool:
    return not (Lead.objects.exists() or Contact.objects.exists() or Touch.objects.exists())


def test_a_valid_delivery_is_accepted_once(client, db) -> None:
    response = post(client, delivery(1, touches=[{"channel": "webinar"}]))
    assert response.status_code == 202
    lead = Lead.objects.get()
    assert response.json() == {"lead": lead.pk, "status": "created"}
    assert (lead.source, lead.external_id) == (SourceSystem.WEBHOOK, "form-1")
    assert lead.contact.email == "person1@example.com"
    assert Touch.objects.get().channel == "webinar"
    assert LeadEvent.objects.get().kind == LeadEventKind.CREATED


def test_the_lead_enters_the_funnel_after_commit(
    client, db, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    entered: list[int] = []
    monkeypatch.setattr(
        "accord.funnel.services.lead_enter_funnel", lambda *, lead_id: entered.append(lead_id)
    )
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = post(client, delivery(1))
    assert entered == []
    for callback in callbacks:
        callback()
    assert entered == [response.json()["lead"]]


def test_a_replay_enqueues_nothing(client, db, django_capture_on_commit_callbacks) -> None:
    post(client, delivery(1))
    with django_capture_on_commit_callbacks() as callbacks:
        post(client, delivery(1))
    assert callbacks == []


def test_a_replay_is_a_duplicate_and_stores_nothing_new(client, db) -> None:
    first = post(client, delivery(1, touches=[{"channel": "email"}]))
    again = post(client, delivery(1, touches=[{"channel": "email"}]))
    assert again.status_code == 200
    assert again.json() == {"lead": first.json()["lead"], "status": "duplicate"}
    assert (Lead.objects.count(), Touch.objects.count(), LeadEvent.objects.count()) == (1, 1, 1)


def test_the_same_email_reuses_the_known_contact(client, db) -> None:
    post(client, delivery(1))
    post(client, delivery(2, email="PERSON1@example.com"))
    assert Lead.objects.count() == 2
    assert Contact.objects.count() == 1


def test_a_known_campaign_is_linked_by_name(client, db) -> None:
    campaign = Campaign.objects.create(
        name="Spring Webinar", channel="webinar", created_at="2026-01-01T00:00Z"
    )
    post(client, delivery(1, campaign="spring webinar", touches=[{"channel": "webinar"}]))
    assert Lead.objects.get().campaign == campaign
    assert Touch.objects.get().campaign == campaign


@pytest.mark.parametrize(
    "options",
    [{"offset": -302}, {"offset": 302}, {"secret": "not-the-secret"}],
    ids=["stale", "future", "wrong-secret"],
)
def test_a_bad_signature_is_401_and_stores_nothing(client, db, options) -> None:
    response = post(client, delivery(1), **options)
    assert response.status_code == 401
    assert response.json()["detail"] and response.json()["errors"] == []
    assert nothing_stored()


def test_a_missing_signature_is_401(client, db) -> None:
    response = client.post(HOOK, encode(delivery(1)), content_type="application/json")
    assert response.status_code == 401
    assert nothing_stored()


def test_a_signature_over_a_changed_body_is_401(client, db) -> None:
    headers = signed_headers(encode(delivery(1)))
    response = client.generic("POST", HOOK, encode(delivery(2)), headers=headers)
    assert response.status_code == 401


@pytest.mark.parametrize(
    ("payload", "fields"),
    [
        ({"email": "a@example.com"}, {"id"}),
        (delivery(1, email="not-an-email"), {"email"}),
        (delivery(1, occurred_at="yesterday"), {"occurred_at"}),
        (delivery(1, touches=[{"channel": "carrier-pigeon"}]), {"touches.0.channel"}),
        ([1, 2], {"body"}),
    ],
    ids=["no-id", "bad-email", "bad-time", "bad-channel", "not-an-object"],
)
def test_a_bad_body_is_400_with_field_errors(client, db, payload, fields) -> None:
    response = post(client, payload)
    assert response.status_code == 400
    assert {error["field"] for error in response.json()["errors"]} == fields
    assert nothing_stored()


def test_a_body_that_is_not_json_is_400(client, db) -> None:
    response = post(client, b"{not json")
    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": "body", "message": "Send a JSON object."}]


def test_a_body_over_the_limit_is_413(client, db) -> None:
    response = post(client, delivery(1, company="x" * MAX_BODY_BYTES))
    assert response.status_code == 413
    assert nothing_stored()


def test_without_a_secret_the_webhook_is_off(client, db, settings) -> None:
    settings.ACCORD_WEBHOOK_SECRET = ""
    response = post(client, delivery(1))
    assert response.status_code == 503
    assert "ACCORD_WEBHOOK_SECRET" in response.json()["detail"]


def test_get_is_not_allowed(client, db) -> None:
    assert client.get(HOOK).status_code == 405


@pytest.mark.parametrize(
    "header", ["", "t=abc,v1=00", "v1=00", "t=1", "garbage", "t=,v1=", "t=1,v1=zz,extra"]
)
def test_malformed_signature_headers_are_refused(header: str) -> None:
    assert not signature_valid(secret=SECRET, header=header, body=b"{}", now=time.time())


def test_a_twin_that_wins_the_race_makes_this_one_a_duplicate(client, db, monkeypatch) -> None:
    first = post(client, delivery(1)).json()["lead"]
    real = services._webhook_lead_id
    calls: list[str] = []

    def blind_first_look(external_id: str) -> int | None:
        calls.append(external_id)
        return None if len(calls) == 1 else real(external_id)

    monkeypatch.setattr(services, "_webhook_lead_id", blind_first_look)
    response = post(client, delivery(1))
    assert response.json() == {"lead": first, "status": "duplicate"}
    assert Lead.objects.count() == 1 and Contact.objects.count() == 1


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"first_name": "Pat\x00"}, "first_name"),
        ({"occurred_at": "0001-01-01T00:00:00+01:00"}, "occurred_at"),
        ({"touches": [{"channel": "email", "occurred_at": "9999-12-31T23:59:59-05:00"}]}, None),
    ],
    ids=["nul", "year-1", "year-9999"],
)
def test_input_the_database_would_refuse_is_400(client, db, fields, field) -> None:
    response = post(client, delivery(1, **fields))
    assert response.status_code == 400
    if field:
        assert [error["field"] for error in response.json()["errors"]] == [field]
    assert nothing_stored()


def test_a_known_crm_contact_brings_its_account(client, db) -> None:
    account = Account.objects.create(name="Acme", created_at="2026-01-01T00:00Z")
    contact = Contact.objects.create(
        source="hubspot",
        external_id="c-1",
        email="person1@example.com",
        first_name="Kept",
        account=account,
        created_at="2026-01-01T00:00Z",
    )
    post(client, delivery(1, first_name="Ignored", touches=[{"channel": "email"}]))
    lead = Lead.objects.get()
    assert (lead.contact, lead.account) == (contact, account)
    assert Touch.objects.get().account == account
    contact.refresh_from_db()
    assert contact.first_name == "Kept"
