from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from accord.crm.models import Account, AppendOnlyError, Lead, LeadEvent, Opportunity, Touch


@pytest.fixture
def account(db) -> Account:
    return Account.objects.create(
        name="Acme", source="salesforce", external_id="001A", created_at=timezone.now()
    )


def test_lead_events_are_append_only(account: Account) -> None:
    lead = Lead.objects.create(account=account, created_at=timezone.now())
    event = LeadEvent.objects.create(lead=lead, occurred_at=timezone.now(), kind="created")
    event.note = "rewritten"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    assert LeadEvent.objects.get(pk=event.pk).note == ""


def test_same_source_and_external_id_cannot_exist_twice(account: Account) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Account.objects.create(
            name="Acme again", source="salesforce", external_id="001A", created_at=timezone.now()
        )
    Account.objects.create(
        name="Acme in HubSpot", source="hubspot", external_id="001A", created_at=timezone.now()
    )
    Account.objects.create(name="No id one", created_at=timezone.now())
    Account.objects.create(name="No id two", created_at=timezone.now())
    assert Account.objects.count() == 4


def test_a_touch_needs_a_contact_or_an_account(db) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Touch.objects.create(
            channel="email",
            kind="email_open",
            occurred_at=timezone.now(),
            created_at=timezone.now(),
        )


def test_a_won_opportunity_must_be_closed(account: Account) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Opportunity.objects.create(
            account=account,
            name="Deal",
            stage="Negotiation",
            is_won=True,
            is_closed=False,
            created_at=timezone.now(),
        )
