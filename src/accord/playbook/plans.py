"""Account plans for key accounts: start, edit, schedule reviews, correct the choice.

Scheduling a review fires the ``account.review`` event, which is how the shipped
rule invites marketing to the reviews of each segment's top ten accounts.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from accord.crm.models import Account
from accord.directory.models import Person
from accord.playbook.access import can_edit_plan, is_manager, is_marketing
from accord.playbook.engine import rules_fire
from accord.playbook.models import AccountPlan, KeyAccountOverride, PlanStatus

MANAGERS_ONLY = "Only managers, revenue leaders and admins change the key-account choice."
NOT_YOUR_PLAN = "You can read this plan; its owners and managers change it."
NOT_A_MARKETER = "{name} is not in marketing: only marketers are attached to key accounts."
REVIEW_IN_PAST = "A review is scheduled for today or later."
PLAN_FIELDS = ("rep_owner", "marketer_owner", "goals", "plays", "next_steps", "status")


class PlanError(ValueError):
    pass


def override_set(
    *, account: Account, include: bool | None, by: Person, reason: str = ""
) -> KeyAccountOverride | None:
    """Pin (True), keep out (False) or go back to the data's choice (None)."""
    if not is_manager(by):
        raise PlanError(MANAGERS_ONLY)
    if include is None:
        KeyAccountOverride.objects.filter(account=account).delete()
        return None
    override, _ = KeyAccountOverride.objects.update_or_create(
        account=account,
        defaults={"include": include, "reason": reason, "set_by": by, "set_at": timezone.now()},
    )
    return override


def plan_start(*, account: Account, by: Person | None, at: datetime | None = None) -> AccountPlan:
    """The account's plan, created on first call with the account owner and the liaison."""
    now = at or timezone.now()
    liaison = account.segment.liaison if account.segment else None
    plan, _ = AccountPlan.objects.get_or_create(
        account=account,
        defaults={
            "rep_owner": account.owner,
            "marketer_owner": liaison,
            "created_at": now,
            "updated_at": now,
        },
    )
    return plan


def plan_update(
    *,
    plan: AccountPlan,
    by: Person,
    marketers: list[Person] | None = None,
    at: datetime | None = None,
    **fields: Any,
) -> AccountPlan:
    if not can_edit_plan(by, plan):
        raise PlanError(NOT_YOUR_PLAN)
    unknown = set(fields) - set(PLAN_FIELDS)
    if unknown:
        raise PlanError(f"Plans have no field {sorted(unknown)[0]!r}.")
    if fields.get("status", PlanStatus.DRAFT) not in PlanStatus.values:
        raise PlanError(f"Unknown plan status {fields['status']!r}.")
    for person in marketers or []:
        if not is_marketing(person):
            raise PlanError(NOT_A_MARKETER.format(name=person.name))
    with transaction.atomic():
        for name, value in fields.items():
            setattr(plan, name, value)
        plan.updated_at = at or timezone.now()
        plan.save()
        if marketers is not None:
            plan.marketers.set(marketers)
    return plan


def plan_review_schedule(
    *,
    plan: AccountPlan,
    on: date,
    by: Person,
    at: datetime | None = None,
    email: bool = True,
) -> AccountPlan:
    """Set the next review date and let the rules invite whom they say."""
    if not can_edit_plan(by, plan):
        raise PlanError(NOT_YOUR_PLAN)
    now = at or timezone.now()
    if on < now.date():
        raise PlanError(REVIEW_IN_PAST)
    with transaction.atomic():
        before = plan.next_review_on
        plan.next_review_on, plan.updated_at = on, now
        plan.save(update_fields=["next_review_on", "updated_at"])
        account = plan.account
        account.plan = plan
        rules_fire(
            event="account.review",
            obj=account,
            changes={"next_review_on": (before, on)},
            actor=by,
            at=at,
            email=email,
        )
    return plan
