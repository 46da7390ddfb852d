"""The API's shapes. Output fields name related records by id (``owner_id``)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from ninja import Schema
from pydantic import Field, create_model

from accord.api.fields import Moment, RecordId, Text
from accord.crm.choices import Channel, SourceSystem, TouchKind

MAX_PAGE = 500
MAX_BATCH = 1000


class ErrorItem(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    detail: str
    errors: list[ErrorItem]


class PageQuery(Schema):
    cursor: Text | None = Field(None, description="`next_cursor` of the previous page")
    limit: int = Field(100, ge=1, le=MAX_PAGE)
    updated_since: Moment | None = Field(
        None, description="Only records changed at or after this time (inclusive; naive is UTC)"
    )


class SourcedOut(Schema):
    id: int
    source: str
    external_id: str | None
    created_at: datetime
    updated_at: datetime


class AccountOut(SourcedOut):
    name: str
    domain: str
    industry: str
    employees: int | None
    country: str
    segment_id: int | None
    territory_id: int | None
    owner_id: int | None


class ContactOut(SourcedOut):
    account_id: int | None
    email: str
    first_name: str
    last_name: str
    title: str
    country: str


class CampaignOut(SourcedOut):
    name: str
    channel: str
    starts_on: date | None
    ends_on: date | None
    budget: Decimal | None
    owner_id: int | None
    segment_id: int | None


class TouchOut(SourcedOut):
    contact_id: int | None
    account_id: int | None
    campaign_id: int | None
    channel: str
    kind: str
    occurred_at: datetime


class OpportunityOut(SourcedOut):
    account_id: int
    name: str
    amount: Decimal | None
    currency: str
    amount_company: Decimal | None
    stage: str
    is_closed: bool
    is_won: bool
    closed_at: datetime | None
    owner_id: int | None
    campaign_id: int | None
    is_marketing_sourced: bool


class LeadOut(SourcedOut):
    contact_id: int | None
    account_id: int | None
    stage: str
    status: str
    lead_source: str
    campaign_id: int | None
    segment_id: int | None
    owner_id: int | None
    score: int
    mql_at: datetime | None
    sal_at: datetime | None
    sql_at: datetime | None
    opportunity_at: datetime | None
    customer_at: datetime | None
    assigned_at: datetime | None
    accept_due_at: datetime | None
    rejection_reason: str


class SpendOut(SourcedOut):
    campaign_id: int | None
    channel: str
    period_start: date
    period_end: date
    amount: Decimal
    currency: str
    amount_company: Decimal


def page_schema(item: type[Schema]) -> type[Schema]:
    """``{"items": [...], "next_cursor": ...}`` for one kind of record."""
    name = item.__name__.removesuffix("Out") + "Page"
    return create_model(
        name, __base__=Schema, items=(list[item], ...), next_cursor=(str | None, None)
    )


class TouchIn(Schema):
    source: SourceSystem
    external_id: Text = Field(min_length=1, max_length=64)
    contact_id: RecordId | None = None
    account_id: RecordId | None = None
    campaign_id: RecordId | None = None
    channel: Channel
    kind: TouchKind
    occurred_at: Moment


class TouchBatch(Schema):
    touches: list[TouchIn] = Field(min_length=1, max_length=MAX_BATCH)


class TouchBatchResult(Schema):
    created: int
    updated: int
    unchanged: int
    ids: list[int] = Field(description="Accord ids, in the order the touches were sent")
