from __future__ import annotations

from django.test import Client


def test_unknown_api_paths_answer_json_404_for_every_method(db) -> None:
    client = Client(enforce_csrf_checks=True)
    for method in ("get", "post", "delete"):
        response = getattr(client, method)("/api/v1/no-such-thing")
        assert response.status_code == 404, method
        assert response.json()["detail"]
