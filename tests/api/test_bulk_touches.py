"""POST /api/v1/touches/bulk: upsert by (source, external_id), all or nothing, idempotent."""

from __future__ import annotations

from typing import Any

import pytest

from accord.crm.models import Account, Campaign, Contact, Touch

BULK = "/api/v1/touches/bulk"


@pytest.fixture
def records(db) -> dict[str, int]:
    account = Account.objects.create(name="Acme", created_at="2026-01-01T00:00Z")
    contact = Contact.objects.create(
        email="buyer@acme.test", account=account, created_at="2026-01-01T00:00Z"
    )
    campaign = Campaign.objects.create(
        name="Webinar", channel="webinar", created_at="2026-01-01T00:00Z"
    )
    return {"account": account.pk, "contact": contact.pk, "campaign": campaign.pk}


def touch(number: int, records: dict[str, int], **fields: Any) -> dict[str, Any]:
    return {
        "source": "hubspot",
        "external_id": f"t-{number}",
        "contact_id": records["contact"],
        "campaign_id": records["campaign"],
        "channel": "webinar",
        "kind": "webinar",
        "occurred_at": f"2026-03-{number:02}T10:00:00Z",
        **fields,
    }


def test_a_good_batch_is_stored_and_a_retry_changes_nothing(api_as, cast, records) -> None:
    api = api_as(cast.admin)
    batch = {"touches": [touch(1, records), touch(2, records)]}
    first = api.post(BULK, batch)
    assert first.status_code == 200, first.content
    assert first.json()["created"] == 2
    stamps = list(Touch.objects.order_by("pk").values_list("updated_at", flat=True))
    again = api.post(BULK, batch)
    assert again.json() == {**first.json(), "created": 0, "unchanged": 2}
    assert again.json()["ids"] == first.json()["ids"]
    assert list(Touch.objects.order_by("pk").values_list("updated_at", flat=True)) == stamps


def test_a_changed_touch_is_updated_in_place(api_as, cast, records) -> None:
    api = api_as(cast.admin)
    api.post(BULK, {"touches": [touch(1, records)]})
    response = api.post(BULK, {"touches": [touch(1, records, channel="email", kind="email_click")]})
    assert response.json()["updated"] == 1
    assert Touch.objects.get().channel == "email"


def test_one_bad_item_stores_nothing_and_names_the_item(api_as, cast, records) -> None:
    batch = [
        touch(1, records),
        touch(2, records, contact_id=999_999),
        touch(3, records, contact_id=None),
        touch(1, records),
    ]
    response = api_as(cast.admin).post(BULK, {"touches": batch})
    assert response.status_code == 400
    assert {e["field"] for e in response.json()["errors"]} == {
        "touches.1.contact_id",
        "touches.2.contact_id",
        "touches.3.external_id",
    }
    assert not Touch.objects.exists()


def test_an_account_alone_is_enough(api_as, cast, records) -> None:
    item = touch(1, records, contact_id=None, account_id=records["account"])
    assert api_as(cast.admin).post(BULK, {"touches": [item]}).status_code == 200


@pytest.mark.parametrize(
    ("batch", "field"),
    [
        ({"touches": [{"source": "hubspot"}]}, "touches.0.external_id"),
        ({"touches": []}, "touches"),
        ({}, "touches"),
    ],
)
def test_a_malformed_batch_is_400(api_as, cast, records, batch, field) -> None:
    response = api_as(cast.admin).post(BULK, batch)
    assert response.status_code == 400
    assert field in {e["field"] for e in response.json()["errors"]}


def test_a_bad_channel_is_400(api_as, cast, records) -> None:
    response = api_as(cast.admin).post(BULK, {"touches": [touch(1, records, channel="fax")]})
    assert [e["field"] for e in response.json()["errors"]] == ["touches.0.channel"]


def test_a_body_that_is_not_json_is_400(api_as, cast) -> None:
    api = api_as(cast.admin)
    response = api.client.post(
        BULK, "{nope", content_type="application/json", headers=api._headers()
    )
    assert response.status_code == 400
    assert set(response.json()) == {"detail", "errors"}


def test_a_rep_may_not_write_touches(api_as, cast, records) -> None:
    response = api_as(cast.rep).post(BULK, {"touches": [touch(1, records)]})
    assert response.status_code == 403
    assert response.json()["errors"] == []
    assert not Touch.objects.exists()


@pytest.mark.parametrize(
    "fields",
    [
        {"contact_id": 2**63},
        {"external_id": "t\x00"},
        {"occurred_at": "0001-01-01T00:00:00+01:00"},
    ],
    ids=["huge-id", "nul", "year-1"],
)
def test_input_the_database_would_refuse_is_400(api_as, cast, records, fields) -> None:
    response = api_as(cast.admin).post(BULK, {"touches": [touch(1, records, **fields)]})
    assert response.status_code == 400
    assert not Touch.objects.exists()
