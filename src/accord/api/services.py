"""Writes of the API app: tokens, the webhook's lead insert, bulk touch upserts."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from accord.api.models import ApiToken
from accord.api.tokens import token_generate, token_hash
from accord.api.webhook import LeadDelivery
from accord.crm.choices import LeadEventKind, LeadStage, SourceSystem
from accord.crm.models import Campaign, Contact, Lead, LeadEvent, Touch
from accord.directory.models import Person

LAST_USED_PRECISION = timedelta(minutes=5)


def token_create(*, person: Person, name: str = "") -> tuple[ApiToken, str]:
    """Create a token for ``person``; the raw token is returned once and never stored."""
    raw = token_generate()
    token = ApiToken.objects.create(
        person=person, name=name, prefix=raw[:12], key_hash=token_hash(raw)
    )
    return token, raw


def token_revoke(*, token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])


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

    The unique (source, external_id) pair decides races: the loser of two
    concurrent inserts rolls back its savepoint and answers "duplicate".
    """
    with transaction.atomic():
        existing = _webhook_lead_id(delivery.id)
        if existing is not None:
            return Receipt(existing, created=False)
        try:
            with transaction.atomic():
                lead = _lead_insert(delivery)
        except IntegrityError:
            existing = _webhook_lead_id(delivery.id)
            if existing is None:
                raise
            return Receipt(existing, created=False)
        transaction.on_commit(lambda: _lead_hand_off(lead.pk))
    return Receipt(lead.pk, created=True)


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
    occurred = as_aware(delivery.occurred_at) or now
    contact = _contact_for(delivery, now=now)
    campaigns = _campaigns_by_key([delivery.campaign, *(t.campaign for t in delivery.touches)])
    lead = Lead.objects.create(
        source=SourceSystem.WEBHOOK,
        external_id=delivery.id,
        created_at=occurred,
        contact=contact,
        account=contact.account,
        lead_source=delivery.source,
        campaign=campaigns.get(delivery.campaign.lower()),
    )
    Touch.objects.bulk_create(
        Touch(
            source=SourceSystem.WEBHOOK,
            created_at=now,
            contact=contact,
            account=contact.account,
            campaign=campaigns.get((touch.campaign or delivery.campaign).lower()),
            channel=touch.channel,
            kind=touch.kind,
            occurred_at=as_aware(touch.occurred_at) or occurred,
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
    contact, _ = Contact.objects.get_or_create(
        source=SourceSystem.WEBHOOK,
        external_id=hashlib.sha256(delivery.email.encode()).hexdigest(),
        defaults={
            "email": delivery.email,
            "first_name": delivery.first_name,
            "last_name": delivery.last_name,
            "title": delivery.title,
            "country": delivery.country.upper(),
            "created_at": now,
        },
    )
    return contact


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


def as_aware(moment: datetime | None) -> datetime | None:
    """Naive times from senders are read as UTC."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)
