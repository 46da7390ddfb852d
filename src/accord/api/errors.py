"""The one error shape every API and webhook answer uses.

``{"detail": "...", "errors": [{"field": "...", "message": "..."}]}``; ``errors``
is empty unless individual fields were wrong.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.http import JsonResponse

INVALID_BODY = "The request body is not valid."
INVALID_QUERY = "The request is not valid."
NOT_AUTHENTICATED = "Send a valid API token: 'Authorization: Bearer <token>'."
NOT_FOUND = "Not found."


def error_body(detail: str, errors: Iterable[dict[str, str]] = ()) -> dict[str, Any]:
    return {"detail": detail, "errors": list(errors)}


def error_response(detail: str, status: int, errors: Iterable[dict[str, str]] = ()) -> JsonResponse:
    return JsonResponse(error_body(detail, errors), status=status)


def field_errors(pydantic_errors: Sequence[dict[str, Any]]) -> list[dict[str, str]]:
    """Pydantic/ninja error dicts → ``{"field", "message"}`` with a dotted field path."""
    return [
        {"field": _field_path(error.get("loc", ())), "message": str(error.get("msg", "invalid"))}
        for error in pydantic_errors
    ]


# ninja prefixes locations with where the value came from and the parameter name.
_LOCATION_PREFIXES = {"body", "query", "path", "header", "payload", "filters"}


def _field_path(loc: Sequence[Any]) -> str:
    parts = [str(part) for part in loc]
    while parts and parts[0] in _LOCATION_PREFIXES:
        parts.pop(0)
    return ".".join(parts) or "body"
