"""The rules engine: evaluate the active rules for one event on one record, act, record.

Blocking rules are checked first: if one is not satisfied nothing else happens, a
``blocked`` firing is written and ``RuleBlocked`` says which rule and what would
unblock it. Writes that a rule can block run inside ``rules_guarded()``, so the
change rolls back while the record of the refusal stays.

Involving, notifying and creating tasks happen once per rule, record and
occurrence (a dedupe key), so a retried request or a re-run batch repeats nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone

from accord.directory.models import Person
from accord.inbox.services import action_item_create, notification_send
from accord.playbook.models import FiringOutcome, Rule, RuleAction, RuleFiring
from accord.playbook.vocabulary import (
    EVENTS,
    RELATIONS,
    REQUIREMENTS,
    Changes,
    Facts,
    condition_holds,
)

UNKNOWN_EVENT = "Unknown rule event {event!r}."


class RuleBlocked(Exception):
    """A blocking rule refused a change; the message names the rule and the way out."""

    def __init__(
        self,
        *,
        rule: Rule,
        obj: models.Model,
        event: str,
        unblock: str,
        at: datetime | None = None,
        actor: Person | None = None,
    ) -> None:
        self.rule, self.obj, self.event, self.unblock = rule, obj, event, unblock
        self.at, self.actor = at, actor
        super().__init__(f"Blocked by the rule “{rule.statement}”. To go ahead, {unblock}.")

    def record(self) -> RuleFiring:
        return _firing_write(
            rule=self.rule,
            event=self.event,
            obj=self.obj,
            outcome=FiringOutcome.BLOCKED,
            detail=f"Would unblock: {self.unblock}.",
            actor=self.actor,
            dedupe_key=None,
            at=self.at,
        )


@contextmanager
def rules_guarded(actor: Person | None = None) -> Iterator[None]:
    """A transaction for a change rules may block: on a block, roll back, then record it."""
    try:
        with transaction.atomic():
            yield
    except RuleBlocked as blocked:
        blocked.actor = blocked.actor or actor
        blocked.record()
        raise


def rules_fire(
    *,
    event: str,
    obj: models.Model,
    changes: Changes | None = None,
    actor: Person | None = None,
    at: datetime | None = None,
    email: bool = True,
    rules: list[Rule] | None = None,
) -> list[RuleFiring]:
    """Run every active rule for ``event`` on ``obj``; returns the firings written.

    ``at`` stamps the firings (the demo passes its own clock); ``email=False`` keeps
    notifications in the inbox only; a batch passes ``rules_active(event)`` once as
    ``rules`` instead of loading them for every record.
    """
    if event not in EVENTS:
        raise ValueError(UNKNOWN_EVENT.format(event=event))
    changes = changes or {}
    facts = FACTS[EVENTS[event].object_type](obj, changes)
    candidates = rules_active(event) if rules is None else rules
    matching = [
        r for r in candidates if all(condition_holds(c, facts, changes) for c in r.conditions)
    ]
    occurrence = facts.get("_occurrence", "")
    fired: list[RuleFiring] = []
    for rule in [r for r in matching if r.action == RuleAction.REQUIRE]:
        fired += _require(rule, event, obj, occurrence, actor, at)
    for rule in [r for r in matching if r.action != RuleAction.REQUIRE]:
        fired += _act(rule, event, obj, occurrence, actor, at, email)
    return fired


def rules_active(event: str) -> list[Rule]:
    return list(Rule.objects.filter(event=event, is_active=True).select_related("target_person"))


def _require(
    rule: Rule,
    event: str,
    obj: models.Model,
    occurrence: str,
    actor: Person | None,
    at: datetime | None,
) -> list[RuleFiring]:
    requirement = REQUIREMENTS.get(rule.requirement)
    if requirement is None:
        return []
    if not requirement.check(rule, obj):
        raise RuleBlocked(
            rule=rule, obj=obj, event=event, unblock=requirement.unblock, at=at, actor=actor
        )
    firing = _firing_once(
        rule, event, obj, occurrence, FiringOutcome.APPROVED, requirement.label, actor, at
    )
    return [firing] if firing else []


OUTCOME_OF = {
    RuleAction.INVOLVE: FiringOutcome.INVOLVED,
    RuleAction.NOTIFY: FiringOutcome.NOTIFIED,
    RuleAction.TASK: FiringOutcome.TASK_CREATED,
}


def _act(
    rule: Rule,
    event: str,
    obj: models.Model,
    occurrence: str,
    actor: Person | None,
    at: datetime | None,
    email: bool,
) -> list[RuleFiring]:
    people = rule_recipients(rule, obj)
    names = ", ".join(p.name for p in people) or "nobody (no one holds the role)"
    outcome = OUTCOME_OF[RuleAction(rule.action)]
    firing = _firing_once(rule, event, obj, occurrence, outcome, names, actor, at)
    if firing is None:
        return []
    firing.recipients.set(people)
    link = object_link(obj)
    for person in people:
        if rule.action == RuleAction.TASK:
            item = action_item_create(
                title=f"{rule.statement[:120]} — {obj}"[:200],
                owner=person,
                due_on=(at or timezone.now()).date() + timedelta(days=rule.task_due_days),
                description=f"Created by a rule of engagement on {obj}. {link}",
                origin=rule,
                origin_label=f"Rule of engagement: {rule.statement}"[:200],
                notify=email,
            )
            firing.action_item = firing.action_item or item
        else:
            verb = "You are involved" if rule.action == RuleAction.INVOLVE else "Heads-up"
            notification_send(
                recipient=person,
                kind="rule",
                title=f"{verb}: {obj}"[:200],
                body=f"Rule of engagement: {rule.statement}",
                link=link,
                dedupe_key=f"rule{rule.pk}:{firing.dedupe_key}"[:120],
                email=email,
            )
    if firing.action_item_id:
        firing.save(update_fields=["action_item"])
    return [firing]


def rule_recipients(rule: Rule, obj: models.Model) -> list[Person]:
    people: list[Person] = []
    if rule.target_person and rule.target_person.is_active:
        people.append(rule.target_person)
    if rule.target_role:
        people += Person.objects.filter(role=rule.target_role, is_active=True).order_by("pk")
    if rule.target_relation in RELATIONS:
        people += RELATIONS[rule.target_relation][1](obj)
    unique = {p.pk: p for p in people if p.is_active}
    return list(unique.values())


def _firing_once(
    rule: Rule,
    event: str,
    obj: models.Model,
    occurrence: str,
    outcome: str,
    detail: str,
    actor: Person | None,
    at: datetime | None,
) -> RuleFiring | None:
    key = f"{EVENTS[event].object_type}:{obj.pk}:{occurrence}"[:120]
    if RuleFiring.objects.filter(rule=rule, dedupe_key=key).exists():
        return None
    try:
        with transaction.atomic():
            return _firing_write(
                rule=rule,
                event=event,
                obj=obj,
                outcome=outcome,
                detail=detail,
                actor=actor,
                dedupe_key=key,
                at=at,
            )
    except IntegrityError:  # a concurrent request fired it first
        return None


def _firing_write(
    *,
    rule: Rule,
    event: str,
    obj: models.Model,
    outcome: str,
    detail: str,
    actor: Person | None,
    dedupe_key: str | None,
    at: datetime | None = None,
) -> RuleFiring:
    return RuleFiring.objects.create(
        rule=rule,
        event=event,
        object_type=EVENTS[event].object_type,
        object_id=obj.pk,
        object_label=str(obj)[:255],
        outcome=outcome,
        detail=detail,
        actor=actor,
        dedupe_key=dedupe_key,
        fired_at=at or timezone.now(),
    )


def object_link(obj: models.Model) -> str:
    kind = obj._meta.model_name
    if kind == "collateral":
        return reverse("playbook:collateral", args=[obj.pk])
    if kind == "launch":
        return reverse("playbook:launch", args=[obj.pk])
    plan = getattr(obj, "plan", None) if kind == "account" else None
    if plan is not None:
        return reverse("playbook:plan", args=[plan.pk])
    return reverse("playbook:firings") + f"?object={kind}-{obj.pk}"


# The facts each kind of record offers to conditions.


def _opportunity_facts(opportunity: Any, changes: Changes) -> Facts:
    segment = opportunity.account.segment
    return {
        "amount_company": opportunity.amount_company,
        "stage": opportunity.stage,
        "is_closed": opportunity.is_closed,
        "segment": segment.slug if segment else None,
    }


def _collateral_facts(collateral: Any, changes: Changes) -> Facts:
    before, after = changes.get("state", (collateral.state, collateral.state))
    return {
        "to_state": after,
        "from_state": before,
        "kind": collateral.kind,
        "segment": collateral.segment.slug if collateral.segment else None,
        "_occurrence": after,
    }


def _launch_facts(launch: Any, changes: Changes) -> Facts:
    return {"open_points": launch.checklist.filter(done_at__isnull=True).count()}


def _account_facts(account: Any, changes: Changes) -> Facts:
    from accord.playbook.selection import is_key_account

    plan = getattr(account, "plan", None)
    review = changes.get("next_review_on", (None, plan.next_review_on if plan else None))[1]
    return {
        "is_key_account": is_key_account(account),
        "segment": account.segment.slug if account.segment else None,
        "plan_status": plan.status if plan else None,
        "_occurrence": str(review or ""),
    }


FACTS = {
    "opportunity": _opportunity_facts,
    "collateral": _collateral_facts,
    "launch": _launch_facts,
    "account": _account_facts,
}
