"""Bulk writes: touches upserted by (source, external_id), all or nothing."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Router
from ninja.errors import ValidationError

from accord.api import schemas, services

PREFIX = ""
router = Router(tags=["touches"])
MAY_NOT_WRITE_TOUCHES = (
    "Your role may not write touches (needs crm.add_touch and crm.change_touch)."
)


@router.post(
    "/touches/bulk",
    response={
        200: schemas.TouchBatchResult,
        **{status: schemas.ErrorOut for status in (400, 401, 403)},
    },
    operation_id="touches_bulk_upsert",
    summary="Insert or update touches by (source, external_id)",
)
def touches_bulk(request: HttpRequest, payload: schemas.TouchBatch) -> dict[str, Any]:
    if not request.user.has_perms(["crm.add_touch", "crm.change_touch"]):
        raise PermissionDenied(MAY_NOT_WRITE_TOUCHES)
    try:
        result = services.touches_bulk_upsert(items=payload.touches)
    except services.TouchBatchError as exc:
        raise ValidationError(
            [{"loc": error["field"].split("."), "msg": error["message"]} for error in exc.errors]
        ) from exc
    return asdict(result)
