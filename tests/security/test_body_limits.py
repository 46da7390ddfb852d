"""Oversized bodies get a clear 413 naming the limit, never a 500."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accord.api.services import token_create
from accord.api.webhook import MAX_BODY_BYTES
from tests.api.helpers import HOOK, SECRET, signed_headers


@pytest.fixture
def small_limits(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000
    settings.ACCORD_IMPORT_MAX_UPLOAD_BYTES = 5_000
    settings.ACCORD_WEBHOOK_SECRET = SECRET
    return settings


def test_an_oversized_api_body_gets_413_in_the_api_shape(cast, client, small_limits) -> None:
    token = token_create(person=cast.admin)[1]
    body = b'{"touches": [' + b" " * 2_000 + b"]}"
    response = client.post(
        "/api/v1/touches/bulk",
        body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 413
    assert response.json() == {
        "detail": "The request body is 2,015 bytes; the largest accepted here is 1,000 bytes.",
        "errors": [],
    }


def test_a_body_within_the_limit_reaches_the_api(cast, client, small_limits) -> None:
    token = token_create(person=cast.admin)[1]
    response = client.post(
        "/api/v1/touches/bulk",
        b'{"touches": []}',
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code != 413 and response.status_code < 500


def test_an_oversized_webhook_body_gets_413(db, client, small_limits) -> None:
    body = b"{" + b" " * 1_500 + b"}"
    response = client.post(
        HOOK, body, content_type="application/json", headers=signed_headers(body)
    )
    assert response.status_code == 413
    assert "1,000 bytes" in response.json()["detail"]


def test_the_webhook_keeps_its_own_smaller_limit(db, client, settings) -> None:
    settings.ACCORD_WEBHOOK_SECRET = SECRET
    body = b"{" + b" " * MAX_BODY_BYTES + b"}"  # over 64 KiB, under the 5 MiB body limit
    response = client.post(
        HOOK, body, content_type="application/json", headers=signed_headers(body)
    )
    assert response.status_code == 413
    assert response.json()["detail"] == f"The body is larger than {MAX_BODY_BYTES} bytes."


def test_a_malformed_json_body_is_a_400_not_a_500(db, client, small_limits) -> None:
    body = b"\xff\xfe not json"
    response = client.post(
        HOOK, body, content_type="application/json", headers=signed_headers(body)
    )
    assert response.status_code == 400


def test_an_oversized_upload_gets_413_before_any_view(cast, client, small_limits) -> None:
    client.force_login(cast.admin.user)
    big = b"Id,Name\n" + b"1,x\n" * 2_000
    response = client.post("/", {"file": SimpleUploadedFile("leads.csv", big)})
    assert response.status_code == 413
    assert "largest accepted here is 5,000 bytes" in response.content.decode()


def test_an_oversized_form_gets_413(cast, client, small_limits) -> None:
    client.force_login(cast.rep.user)
    body = "q=" + "x" * 2_000
    response = client.post("/people/", body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413
    assert "2,002 bytes" in response.content.decode()
