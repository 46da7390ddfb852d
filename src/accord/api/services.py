"""Writes of the API app: tokens, the webhook's lead insert, bulk touch upserts."""

from __future__ import annotations

import hashlib
import threading
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from accord.api.models import ApiToken
from accord.api.schemas import TouchIn
from accord.api.tokens import token_generate, token_hash
from accord.api.webhook import LeadDelivery
from accord.audit.services import audit_record
from accord.crm.choices import LeadEventKind, LeadStage, SourceSystem
from accord.crm.models import Account, Campaign, Contact, Lead, LeadEvent, Touch
from accord.directory.models import Person

LAST_USED_PRECISION = timedelta(minutes=5)
LEAD_INSERT_ATTEMPTS = 3
_SQLITE_WRITER = threading.Lock()


def token_create(*, person: Person, name: str = "") -> tuple[ApiToken, str]:
    """Create a token for ``person``; the raw token is returned once and never stored."""
    raw = token_generate()
    token = ApiToken.objects.create(
        person=person, name=name, prefix=raw[:12], key_hash=token_hash(raw)
    )
    audit_record(action="token_created", target=f"{token} of {person.name}")
    return token, raw


def token_revoke(*, token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(action="token_revoked", target=f"{token} of {token.person.name}")


def token_mark_used(*, token: ApiToken) -> None:
    """Record use at most every few minutes, so reads do not each cost a write."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)


@dataclass(frozen=True)
class Receipt:
    lead_id: int
    created: bool


def lead_receive(*, delivery: LeadDelivery) -> Receipt:
    """Store one webhook delivery once; a repeated ``id`` returns the stored lead.

    The unique constraints decide races: a concurrent twin of this delivery
    (same ``id``) makes the insert fail, the transaction rolls back and the
    twin's lead is the answer. A first delivery for the same e-mail racing
    this one only costs a retry, which then finds that contact.
    """
    for attempt in range(LEAD_INSERT_ATTEMPTS):
        try:
            return _lead_receive_once(delivery)
        except IntegrityError:
            existing = _webhook_lead_id(delivery.id)
            if existing is not None:
                return Receipt(existing, created=False)
            if attempt == LEAD_INSERT_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def _lead_receive_once(delivery: LeadDelivery) -> Receipt:
    with _one_writer(), transaction.atomic():  # a savepoint when called inside a transaction
        existing = _webhook_lead_id(delivery.id)
        if existing is not None:
            return Receipt(existing, created=False)
        lead = _lead_insert(delivery)
        transaction.on_commit(lambda: _lead_hand_off(lead.pk))
    return Receipt(lead.pk, created=True)


def _one_writer() -> AbstractContextManager[object]:
    """On SQLite, this process's webhook writers take turns on a lock.

    SQLite has one writer; a waiting connection polls with sleeps of up to
    100 ms, which under 16 concurrent senders costs far more than the
    writes. A Python lock hands the turn over at once. Other processes
    still meet on SQLite's busy timeout.
    """
    return _SQLITE_WRITER if connection.vendor == "sqlite" else nullcontext()


def _lead_hand_off(lead_id: int) -> None:
    from accord.api.tasks import lead_enter_funnel

    lead_enter_funnel.enqueue(lead_id=lead_id)


def _webhook_lead_id(external_id: str) -> int | None:
    return (
        Lead.objects.filter(source=SourceSystem.WEBHOOK, external_id=external_id)
        .values_list("pk", flat=True)
        .first()
    )


def _lead_insert(delivery: LeadDelivery) -> Lead:
    now = timezone.now()
    occurred = delivery.occurred_at or now
    contact = _contact_for(delivery, now=now)
    campaigns = _campaigns_by_key([delivery.campaign, *(t.campaign for t in delivery.touches)])
    lead = Lead.objects.create(
        source=SourceSystem.WEBHOOK,
        external_id=delivery.id,
        created_at=occurred,
        contact=contact,
        account_id=contact.account_id,
        lead_source=delivery.source,
        campaign=campaigns.get(delivery.campaign.lower()),
    )
    Touch.objects.bulk_create(
        Touch(
            source=SourceSystem.WEBHOOK,
            created_at=now,
            contact=contact,
            account_id=contact.account_id,
            campaign=campaigns.get((touch.campaign or delivery.campaign).lower()),
            channel=touch.channel,
            kind=touch.kind,
            occurred_at=touch.occurred_at or occurred,
        )
        for touch in delivery.touches
    )
    LeadEvent.objects.create(
        lead=lead,
        occurred_at=now,
        kind=LeadEventKind.CREATED,
        to_stage=LeadStage.INQUIRY,
        rule="lead webhook",
        data=delivery.model_dump(mode="json", include={"id", "company", "source", "campaign"}),
    )
    return lead


def _contact_for(delivery: LeadDelivery, *, now: datetime) -> Contact:
    """The oldest contact with this e-mail in any source; else a new webhook contact.

    A webhook contact's external id is the SHA-256 of the lower-cased e-mail
    (e-mails can be longer than the 64-character external id), so concurrent
    first deliveries for one address meet on the unique constraint.
    """
    known = Contact.objects.filter(email=delivery.email).order_by("pk").first()
    if known is not None:
        return known
    return Contact.objects.create(
        source=SourceSystem.WEBHOOK,
        external_id=hashlib.sha256(delivery.email.encode()).hexdigest(),
        email=delivery.email,
        first_name=delivery.first_name,
        last_name=delivery.last_name,
        title=delivery.title,
        country=delivery.country.upper(),
        created_at=now,
    )


def _campaigns_by_key(keys: list[str]) -> dict[str, Campaign]:
    """Campaigns named by external id, else by name (case-insensitive); unknown ones are skipped."""
    given = {key for key in keys if key}
    if not given:
        return {}
    found: dict[str, Campaign] = {}
    for campaign in Campaign.objects.filter(external_id__in=given).order_by("pk"):
        found.setdefault((campaign.external_id or "").lower(), campaign)
    for key in {key.lower() for key in given} - found.keys():
        campaign = Campaign.objects.filter(name__iexact=key).order_by("pk").first()
        if campaign is not None:
            found[key] = campaign
    return found


TOUCH_FIELDS = ("contact_id", "account_id", "campaign_id", "channel", "kind", "occurred_at")


class TouchBatchError(Exception):
    """The batch was refused as a whole; ``errors`` names each bad item's field."""

    def __init__(self, errors: list[dict[str, str]]) -> None:
        super().__init__(f"{len(errors)} touches are not valid")
        self.errors = errors


@dataclass(frozen=True)
class TouchBatchResult:
    created: int
    updated: int
    unchanged: int
    ids: list[int]


def touches_bulk_upsert(*, items: list[TouchIn]) -> TouchBatchResult:
    """Insert or update touches by (source, external_id): all of them or none.

    Sending the same batch again changes nothing and answers the same ids.
    A concurrent twin of the batch may win the insert; then it is re-applied
    as updates.
    """
    errors = _touch_batch_errors(items)
    if errors:
        raise TouchBatchError(errors)
    try:
        return _touches_apply(items)
    except IntegrityError:
        return _touches_apply(items)


def _touches_apply(items: list[TouchIn]) -> TouchBatchResult:
    now = timezone.now()
    with transaction.atomic():
        stored = _touches_by_key(items)
        fresh, changed = [], []
        for item in items:
            values = {field: getattr(item, field) for field in TOUCH_FIELDS}
            touch = stored.get((item.source, item.external_id))
            if touch is None:
                touch = Touch(source=item.source, external_id=item.external_id, created_at=now)
                fresh.append(touch)
                stored[(item.source, item.external_id)] = touch
            elif all(getattr(touch, key) == value for key, value in values.items()):
                continue
            else:
                touch.updated_at = now
                changed.append(touch)
            for key, value in values.items():
                setattr(touch, key, value)
        Touch.objects.bulk_create(fresh)  # SQLite and PostgreSQL both return the new ids
        if changed:
            Touch.objects.bulk_update(changed, [*TOUCH_FIELDS, "updated_at"])
    ids = [stored[(item.source, item.external_id)].pk for item in items]
    unchanged = len(items) - len(fresh) - len(changed)
    return TouchBatchResult(len(fresh), len(changed), unchanged, ids)


def _touches_by_key(items: list[TouchIn]) -> dict[tuple[str, str], Touch]:
    by_source: dict[str, list[str]] = {}
    for item in items:
        by_source.setdefault(item.source, []).append(item.external_id)
    match = Q()
    for source, external_ids in by_source.items():
        match |= Q(source=source, external_id__in=external_ids)
    return {(t.source, t.external_id or ""): t for t in Touch.objects.filter(match)}


def _touch_batch_errors(items: list[TouchIn]) -> list[dict[str, str]]:
    known = {
        "contact_id": _existing(Contact, items, "contact_id"),
        "account_id": _existing(Account, items, "account_id"),
        "campaign_id": _existing(Campaign, items, "campaign_id"),
    }
    errors, seen = [], set()
    for index, item in enumerate(items):
        key = (item.source, item.external_id)
        if key in seen:
            errors.append(_item_error(index, "external_id", "Sent twice in this batch."))
        seen.add(key)
        if item.contact_id is None and item.account_id is None:
            errors.append(_item_error(index, "contact_id", "Give a contact_id or an account_id."))
        for field, ids in known.items():
            value = getattr(item, field)
            if value is not None and value not in ids:
                errors.append(_item_error(index, field, f"No record with id {value}."))
    return errors


def _existing(
    model: type[Account | Contact | Campaign], items: list[TouchIn], field: str
) -> set[int]:
    wanted = {getattr(item, field) for item in items} - {None}
    return (
        set(model.objects.filter(pk__in=wanted).values_list("pk", flat=True)) if wanted else set()
    )


def _item_error(index: int, field: str, message: str) -> dict[str, str]:
    return {"field": f"touches.{index}.{field}", "message": message}
