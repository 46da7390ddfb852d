"""Changing an opportunity's amount or stage through the rules of engagement.

Pages and the API change a deal through ``opportunity_update`` (an explicit call
rather than a ``post_save`` signal, so bulk imports stay set-based and nothing
fires behind anyone's back). After an import, ``opportunities_check`` runs the
same rules over the open deals in one pass; the firings' dedupe keys make a
re-run repeat nothing.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from accord.connectors.planning import Rates, company_currency
from accord.crm.models import Opportunity, OpportunityStageChange
from accord.directory.models import Person
from accord.playbook.engine import RuleBlocked, rules_active, rules_fire, rules_guarded
from accord.playbook.models import RuleFiring
from accord.playbook.vocabulary import Changes

EVENT = "opportunity.changed"
NEGATIVE_AMOUNT = "An opportunity's amount cannot be negative."
NO_RATE = "No exchange rate for {currency} on {day}: add one before using that currency."
STAGE_NEEDED = "The stage cannot be empty."


class OpportunityError(ValueError):
    pass


def _company_amount(amount: Decimal | None, currency: str, at: datetime) -> Decimal | None:
    if amount is None:
        return None
    converted = Rates(company_currency()).convert(amount, currency, at.date())
    if converted is None:
        raise OpportunityError(NO_RATE.format(currency=currency, day=at.date()))
    return converted


def _changes(opportunity: Opportunity, **new: object) -> Changes:
    return {
        name: (getattr(opportunity, name), value)
        for name, value in new.items()
        if value is not None and getattr(opportunity, name) != value
    }


def opportunity_update(
    *,
    opportunity: Opportunity,
    by: Person | None,
    amount: Decimal | None = None,
    currency: str | None = None,
    stage: str | None = None,
    at: datetime | None = None,
    email: bool = True,
) -> list[RuleFiring]:
    """Change amount, currency and/or stage, keep the stage history, then run the rules."""
    now = at or timezone.now()
    if amount is not None and amount < 0:
        raise OpportunityError(NEGATIVE_AMOUNT)
    if stage is not None and not stage.strip():
        raise OpportunityError(STAGE_NEEDED)
    with rules_guarded(by):
        deal = Opportunity.objects.select_for_update(of=("self",)).select_related(
            "account__segment"
        )
        deal = deal.get(pk=opportunity.pk)
        changes = _changes(deal, amount=amount, currency=currency, stage=stage)
        if not changes:
            return []
        for name, (_, value) in changes.items():
            setattr(deal, name, value)
        deal.amount_company = _company_amount(deal.amount, deal.currency, now)
        deal.save()
        if "stage" in changes:
            OpportunityStageChange.objects.create(
                opportunity=deal, stage=deal.stage, amount=deal.amount, changed_at=now
            )
        fired = rules_fire(event=EVENT, obj=deal, changes=changes, actor=by, at=at, email=email)
    opportunity.refresh_from_db()
    return fired


def opportunities_check(
    deals: QuerySet[Opportunity] | None = None,
    *,
    at: datetime | None = None,
    email: bool = True,
) -> int:
    """Run the opportunity rules over open deals (e.g. after an import); returns firings."""
    rows = deals if deals is not None else Opportunity.objects.filter(is_closed=False)
    fired = 0
    rules = rules_active(EVENT)
    with transaction.atomic():
        for deal in rows.select_related("account__segment", "owner").order_by("pk"):
            try:
                found = rules_fire(event=EVENT, obj=deal, at=at, email=email, rules=rules)
                fired += len(found)
            except RuleBlocked as blocked:  # the import happened; record what the rule says
                blocked.record()
                fired += 1
    return fired
