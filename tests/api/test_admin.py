"""Tokens in the admin: made by the service, shown once in the message."""

from __future__ import annotations

from accord.api.models import ApiToken
from accord.api.tokens import token_hash
from tests.conftest import login


def test_adding_a_token_in_the_admin_shows_it_once(client, cast) -> None:
    login(client, cast.admin)
    response = client.post(
        "/admin/api/apitoken/add/",
        {"person": cast.rep.pk, "name": "crm sync", "revoked_at_0": "", "revoked_at_1": ""},
        follow=True,
    )
    assert response.status_code == 200
    token = ApiToken.objects.get()
    shown = [str(m) for m in response.context["messages"] if "The new token is" in str(m)]
    assert len(shown) == 1
    raw = shown[0].split("The new token is ")[1].split(" ")[0]
    assert token_hash(raw) == token.key_hash and token.person == cast.rep
    assert raw not in client.get("/admin/api/apitoken/").content.decode()
