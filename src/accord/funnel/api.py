"""The funnel over the API: accept, reject and recycle a lead; the lead event stream.

Moves go through ``accord.funnel.services`` and the same access check as the
pages, so a token can do exactly what its person can do on ``/funnel/``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from ninja import Query, Router, Schema
from ninja.errors import HttpError, ValidationError
from pydantic import ConfigDict, Field

from accord.api import errors, queries
from accord.api.fields import MAX_ID, Moment, Text
from accord.api.schemas import MAX_PAGE, ErrorOut
from accord.crm.choices import RejectionReason
from accord.crm.models import Lead, LeadEvent
from accord.directory import access
from accord.directory.models import Person
from accord.funnel import export, services

PREFIX = ""
router = Router(tags=["funnel"])
REASON_PROBLEM = "The reason is missing or incomplete."


def _reason_required(schema: dict[str, Any]) -> None:
    # Validation lets a missing reason through so the handler can answer 422
    # (the API answers 400 for invalid input); clients still see it as required.
    reason = schema["properties"]["reason"]
    reason.pop("default", None)
    reason.update(next(option for option in reason.pop("anyOf") if option != {"type": "null"}))
    schema["required"] = ["reason", *schema.get("required", [])]


class ReasonIn(Schema):
    model_config = ConfigDict(json_schema_extra=_reason_required)

    reason: RejectionReason | None = None
    note: Text = Field("", max_length=2000, description="Required when the reason is `other`")


class LeadMovedOut(Schema):
    id: int
    stage: str
    version: int


class LeadEventOut(Schema):
    id: int
    lead_id: int
    occurred_at: datetime
    kind: str
    actor_id: int | None
    from_stage: str
    to_stage: str
    rule: str
    reason: str
    note: str
    data: dict[str, Any]


class LeadEventPage(Schema):
    items: list[LeadEventOut]
    next_cursor: str | None = None


class LeadEventQuery(Schema):
    cursor: Text | None = Field(None, description="`next_cursor` of the previous page")
    limit: int = Field(100, ge=1, le=MAX_PAGE)
    since: Moment | None = Field(
        None, description="Only events that occurred at or after this time (naive is UTC)"
    )


MOVE_ANSWERS: dict[int, Any] = {
    200: LeadMovedOut,
    **{status: ErrorOut for status in (400, 401, 404, 409)},
}
REASON_ANSWERS = {**MOVE_ANSWERS, 422: ErrorOut}


def _moved(request: HttpRequest, lead_id: int, move: Callable[[Lead, Person], Lead]) -> Lead:
    """Fetch as the pages do (404 for marketing and strangers); a refusal is 409."""
    if not 1 <= lead_id <= MAX_ID:  # no such row; the database would refuse the number
        raise Http404
    lead, me = access.lead_get_to_work(request.user, lead_id)
    try:
        return move(lead, me)
    except services.LeadMoveError as exc:
        raise HttpError(409, str(exc)) from exc


def _with_reason(
    request: HttpRequest, lead_id: int, payload: ReasonIn, service: Callable[..., Lead]
) -> Lead | HttpResponse:
    """A reject or recycle; a missing reason, or `other` without a note, is 422."""
    try:
        return _moved(
            request,
            lead_id,
            lambda lead, me: service(
                lead=lead, by=me, reason=payload.reason or "", note=payload.note
            ),
        )
    except HttpError as exc:
        if payload.reason is None:
            field = "reason"
        elif str(exc) == services.NOTE_REQUIRED:
            field = "note"
        else:
            raise
        return errors.error_response(REASON_PROBLEM, 422, [{"field": field, "message": str(exc)}])


@router.post(
    "/leads/{lead_id}/accept",
    response=MOVE_ANSWERS,
    operation_id="lead_accept",
    summary="Accept an MQL: it becomes a sales accepted lead",
)
def lead_accept(request: HttpRequest, lead_id: int) -> Lead:
    return _moved(request, lead_id, lambda lead, me: services.lead_accept(lead=lead, by=me))


@router.post(
    "/leads/{lead_id}/reject",
    response=REASON_ANSWERS,
    operation_id="lead_reject",
    summary="Reject an MQL with a reason code: it goes back to marketing's nurture",
)
def lead_reject(request: HttpRequest, lead_id: int, payload: ReasonIn) -> Lead | HttpResponse:
    return _with_reason(request, lead_id, payload, services.lead_reject)


@router.post(
    "/leads/{lead_id}/recycle",
    response=REASON_ANSWERS,
    operation_id="lead_recycle",
    summary="Send an MQL, SAL or SQL back to nurture with a reason code",
)
def lead_recycle(request: HttpRequest, lead_id: int, payload: ReasonIn) -> Lead | HttpResponse:
    return _with_reason(request, lead_id, payload, services.lead_recycle)


@router.get(
    "/lead-events",
    response={200: LeadEventPage, 400: ErrorOut, 401: ErrorOut},
    operation_id="lead_events_list",
    summary="The append-only lead event stream, oldest first",
)
def lead_events(request: HttpRequest, params: Query[LeadEventQuery]) -> dict[str, Any]:
    events = LeadEvent.objects.filter(lead__in=access.leads_for_user(request.user))
    if params.since is not None:
        events = events.filter(occurred_at__gte=params.since)
    try:
        rows, next_cursor = _page(events, cursor=params.cursor, limit=params.limit)
    except queries.CursorError as exc:
        raise ValidationError([{"loc": ("query", "cursor"), "msg": str(exc)}]) from exc
    return {"items": rows, "next_cursor": next_cursor}


class LeadChangesQuery(Schema):
    since: Moment | None = Field(
        None, description="Only changes that occurred at or after this time (naive is UTC)"
    )


@router.get(
    "/lead-changes.csv",
    response={400: ErrorOut, 401: ErrorOut},
    operation_id="lead_changes_csv",
    summary="Owner and stage changes of the leads you may see, as spreadsheet-safe CSV",
    openapi_extra={
        "responses": {
            200: {
                "description": "One row per change; columns in docs/funnel.md",
                "content": {"text/csv": {"schema": {"type": "string"}}},
            }
        }
    },
)
def lead_changes_csv(
    request: HttpRequest, params: Query[LeadChangesQuery]
) -> StreamingHttpResponse:
    events = export.lead_changes(access.leads_for_user(request.user), since=params.since)
    return StreamingHttpResponse(
        export.lead_changes_csv(events), content_type="text/csv; charset=utf-8"
    )


def _page(
    events: QuerySet[LeadEvent], *, cursor: str | None, limit: int
) -> tuple[list[LeadEvent], str | None]:
    """Pages in insertion (id) order, not by ``occurred_at``.

    Some events are dated in the past (an SLA breach is dated at its deadline);
    in id order they still come after everything a client has already read.
    """
    events = events.order_by("pk")
    if cursor:
        events = events.filter(pk__gt=queries.cursor_decode(cursor)[1])
    rows = list(events[: limit + 1])
    if len(rows) <= limit:
        return rows, None
    last = rows[limit - 1]
    return rows[:limit], queries.cursor_encode(last.occurred_at, last.pk)
