"""Read endpoints: one list (cursor pages, ``updated_since``) and one detail per record kind.

The kinds are declared as data; each row says where its records come from,
so permissions are decided in exactly one place per kind.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.errors import ValidationError

from accord.api import queries, schemas
from accord.api.fields import MAX_ID
from accord.directory import access

PREFIX = ""
router = Router()


@dataclass(frozen=True)
class Resource:
    path: str
    noun: str
    schema: type[Schema]
    for_user: Callable[[access.User], QuerySet[Any]]


RESOURCES = (
    Resource("accounts", "account", schemas.AccountOut, access.accounts_for_user),
    Resource("contacts", "contact", schemas.ContactOut, queries.contacts_for_user),
    Resource("campaigns", "campaign", schemas.CampaignOut, queries.campaigns_for_user),
    Resource("touches", "touch", schemas.TouchOut, queries.touches_for_user),
    Resource("opportunities", "opportunity", schemas.OpportunityOut, access.opportunities_for_user),
    Resource("leads", "lead", schemas.LeadOut, access.leads_for_user),
    Resource("spend", "spend", schemas.SpendOut, queries.spend_for_user),
)


def _add_list(resource: Resource) -> None:
    page = schemas.page_schema(resource.schema)

    @router.get(
        f"/{resource.path}",
        response={200: page, 400: schemas.ErrorOut, 401: schemas.ErrorOut},
        operation_id=f"{resource.path}_list",
        summary=f"List {resource.path}",
        tags=[resource.path],
    )
    def list_view(request: HttpRequest, params: Query[schemas.PageQuery]) -> dict[str, Any]:
        try:
            rows, next_cursor = queries.page_of(
                resource.for_user(request.user),
                cursor=params.cursor,
                limit=params.limit,
                updated_since=params.updated_since,
            )
        except queries.CursorError as exc:
            raise ValidationError([{"loc": ("query", "cursor"), "msg": str(exc)}]) from exc
        return {"items": rows, "next_cursor": next_cursor}


def _add_detail(resource: Resource) -> None:
    @router.get(
        f"/{resource.path}/{{int:record_id}}",
        response={200: resource.schema, 401: schemas.ErrorOut, 404: schemas.ErrorOut},
        operation_id=f"{resource.noun}_get",
        summary=f"One {resource.noun}",
        tags=[resource.path],
    )
    def detail_view(request: HttpRequest, record_id: int) -> Any:
        if record_id > MAX_ID:  # no such row; the database would refuse the number
            raise Http404
        return get_object_or_404(resource.for_user(request.user), pk=record_id)


for _resource in RESOURCES:
    _add_list(_resource)
    _add_detail(_resource)
