"""Rate limits: failed log-ins per username and address, API calls per token,
webhook deliveries per sending address; 429 with Retry-After past the limit."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.core.exceptions import ImproperlyConfigured

from accord.api.services import token_create
from accord.ratelimit import Limit, rate_hit
from tests.api.helpers import HOOK, SECRET, delivery, encode, signed_headers
from tests.conftest import PASSWORD

# 1,800,000,000 is a multiple of 900 and of 60: windows start there.
WINDOW_START = 1_800_000_000


def moment(seconds_after_start: int) -> datetime:
    return datetime.fromtimestamp(WINDOW_START + seconds_after_start, tz=UTC)


def test_limit_counts_within_a_window_and_starts_again_in_the_next() -> None:
    limit = Limit(count=2, seconds=60)
    hits = [rate_hit(scope="t", identity="x", limit=limit, now=WINDOW_START + s) for s in (0, 1, 2)]
    assert [h.allowed for h in hits] == [True, True, False]
    assert hits[2].retry_after == 58  # 60 - 2 seconds into the window
    assert rate_hit(scope="t", identity="x", limit=limit, now=WINDOW_START + 60).allowed
    assert rate_hit(scope="t", identity="other", limit=limit, now=WINDOW_START + 2).allowed


def test_a_malformed_limit_names_the_setting(settings, client) -> None:
    settings.ACCORD_RATE_API = "lots"
    with pytest.raises(ImproperlyConfigured, match="ACCORD_RATE_API must look like COUNT/SECONDS"):
        Limit.from_settings("ACCORD_RATE_API")


def _login(client, username: str, password: str, address: str = "127.0.0.1"):
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


def test_failed_logins_are_limited_per_username_and_address(
    cast, client, settings, time_machine
) -> None:
    settings.ACCORD_RATE_LOGIN = "3/900"
    time_machine.move_to(moment(100), tick=False)
    assert [_login(client, "rep", "wrong").status_code for _ in range(3)] == [200, 200, 200]
    blocked = _login(client, "rep", PASSWORD)  # even the right password waits
    assert blocked.status_code == 429
    assert blocked["Retry-After"] == "800"  # 900-second window, 100 seconds in
    assert "Too many failed log-in attempts" in blocked.content.decode()
    assert _login(client, "rep", PASSWORD, address="10.0.0.9").status_code == 302
    assert _login(client, "marketer", PASSWORD).status_code == 302
    time_machine.move_to(moment(900), tick=False)
    assert _login(client, "rep", PASSWORD).status_code == 302


def test_a_successful_login_clears_the_failures(cast, client, settings) -> None:
    settings.ACCORD_RATE_LOGIN = "3/900"
    assert [_login(client, "rep", "wrong").status_code for _ in range(2)] == [200, 200]
    assert _login(client, "rep", PASSWORD).status_code == 302
    client.logout()
    assert [_login(client, "rep", "wrong").status_code for _ in range(3)] == [200, 200, 200]
    assert _login(client, "rep", "wrong").status_code == 429


def test_api_calls_are_limited_per_token(cast, client, settings, time_machine) -> None:
    settings.ACCORD_RATE_API = "2/60"
    time_machine.move_to(moment(15), tick=False)
    first, second = token_create(person=cast.rep)[1], token_create(person=cast.marketer)[1]

    def get(token: str):
        return client.get("/api/v1/leads", headers={"Authorization": f"Bearer {token}"})

    assert [get(first).status_code for _ in range(2)] == [200, 200]
    refused = get(first)
    assert refused.status_code == 429
    assert refused["Retry-After"] == "45"
    assert refused.json() == {"detail": "Too many requests. Try again in 45 seconds.", "errors": []}
    assert get(second).status_code == 200


def test_webhook_deliveries_are_limited_per_sender(db, client, settings) -> None:
    settings.ACCORD_WEBHOOK_SECRET = SECRET
    settings.ACCORD_RATE_WEBHOOK = "2/60"

    def send(number: int, address: str):
        body = encode(delivery(number))
        return client.post(
            HOOK,
            body,
            content_type="application/json",
            headers=signed_headers(body),
            REMOTE_ADDR=address,
        )

    assert [send(n, "192.0.2.1").status_code for n in (1, 2)] == [202, 202]
    refused = send(3, "192.0.2.1")
    assert refused.status_code == 429 and int(refused["Retry-After"]) >= 1
    assert send(3, "192.0.2.2").status_code == 202  # another sender is not held back


def test_the_proxy_header_names_the_client_only_when_configured(cast, client, settings) -> None:
    settings.ACCORD_RATE_LOGIN = "1/900"
    forwarded = {"HTTP_X_FORWARDED_FOR": "198.51.100.7"}
    assert _login(client, "rep", "wrong").status_code == 200
    # Without the setting the header is ignored: same peer address, still blocked.
    assert (
        client.post("/login/", {"username": "rep", "password": PASSWORD}, **forwarded).status_code
        == 429
    )
    settings.ACCORD_TRUSTED_PROXY_HEADER = "HTTP_X_FORWARDED_FOR"
    assert (
        client.post("/login/", {"username": "rep", "password": PASSWORD}, **forwarded).status_code
        == 302
    )
