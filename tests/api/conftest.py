"""API fixtures: a token per person and a client that sends it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from accord.api.services import token_create
from accord.directory.models import Person


class ApiClient:
    def __init__(self, client: Any, token: str | None) -> None:
        self.client, self.token = client, token

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(path, params, headers=self._headers())

    def post(self, path: str, payload: Any) -> Any:
        return self.client.post(
            path, payload, content_type="application/json", headers=self._headers()
        )


@pytest.fixture
def api_as(client) -> Callable[[Person], ApiClient]:
    def make(person: Person) -> ApiClient:
        return ApiClient(client, token_create(person=person)[1])

    return make
