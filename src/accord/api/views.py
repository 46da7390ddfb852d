"""The signed lead webhook: check, validate, insert idempotently, hand off.

Everything slower (scoring, routing, SLA clocks) runs in the task queued on
commit, so a sender's request stays short.
"""

from __future__ import annotations

import json
import time

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from pydantic import ValidationError

from accord.api import webhook
from accord.api.errors import INVALID_BODY, NOT_FOUND, error_response, field_errors
from accord.api.services import lead_receive


@csrf_exempt
@require_POST
def lead_hook(request: HttpRequest) -> JsonResponse:
    secret = settings.ACCORD_WEBHOOK_SECRET
    if not secret:
        return error_response(webhook.NO_SECRET, 503)
    body = _read_body(request)
    if body is None:
        return error_response(webhook.TOO_LARGE, 413)
    header = request.headers.get(webhook.SIGNATURE_HEADER, "")
    if not webhook.signature_valid(secret=secret, header=header, body=body, now=time.time()):
        return error_response(webhook.BAD_SIGNATURE, 401)
    try:
        delivery = webhook.LeadDelivery.model_validate(json.loads(body))
    except (ValueError, ValidationError) as exc:
        return _invalid(exc)
    receipt = lead_receive(delivery=delivery)
    status = "created" if receipt.created else "duplicate"
    return JsonResponse(
        {"lead": receipt.lead_id, "status": status}, status=202 if receipt.created else 200
    )


def _read_body(request: HttpRequest) -> bytes | None:
    """The raw body, or None when it is over the limit (checked before reading it all)."""
    declared = request.META.get("CONTENT_LENGTH") or "0"
    if declared.isdigit() and int(declared) > webhook.MAX_BODY_BYTES:
        return None
    body = request.read(webhook.MAX_BODY_BYTES + 1)
    return None if len(body) > webhook.MAX_BODY_BYTES else body


def _invalid(exc: ValueError | ValidationError) -> JsonResponse:
    if isinstance(exc, ValidationError):
        return error_response(INVALID_BODY, 400, field_errors(exc.errors()))
    return error_response(INVALID_BODY, 400, [{"field": "body", "message": "Send a JSON object."}])


@csrf_exempt
def not_found(request: HttpRequest) -> JsonResponse:
    """Unknown paths under /api/v1/ answer in the API's error shape, not an HTML page."""
    return error_response(NOT_FOUND, 404)
