"""Writing rules of engagement: the shipped defaults and managers' edits.

Managers (sales, marketing, revenue leaders) and admins change rules; everyone
reads them. A rule is never deleted, only switched off, so its firings keep
their meaning.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accord.directory.models import Person
from accord.directory.roles import MANAGER_ROLES, Role
from accord.inbox.services import notification_send
from accord.playbook.models import FiringOutcome, Rule, RuleAction, RuleApproval, RuleFiring
from accord.playbook.vocabulary import (
    ANY_RECORD,
    EVENTS,
    RELATIONS,
    REQUIREMENTS,
    condition_check,
)

RULE_EDITORS = frozenset({*MANAGER_ROLES, Role.ADMIN})
NOT_A_RULE_EDITOR = "Only sales and marketing managers, revenue leaders and admins change rules."
NEEDS_TARGET = "Say whom to involve: a role, a person or people related to the record."
NEEDS_REQUIREMENT = "A blocking rule needs to say what it requires."
WRONG_REQUIREMENT = "“{label}” applies to a {kind}, not to this event."
STATEMENT_REQUIRED = "Write the rule in plain words so everyone can read it."

DEFAULT_RULES: tuple[dict[str, Any], ...] = (
    {
        "key": "brand-manager-on-big-deals",
        "statement": "The brand manager is involved on any opportunity above $2,000,000.",
        "event": "opportunity.changed",
        "conditions": [{"field": "amount_company", "op": "gt", "value": 2_000_000}],
        "action": RuleAction.INVOLVE,
        "target_role": Role.BRAND_MANAGER.value,
    },
    {
        "key": "sales-approves-collateral",
        "statement": "No collateral is published until a sales reviewer has approved it.",
        "event": "collateral.state_changed",
        "conditions": [{"field": "to_state", "op": "eq", "value": "published"}],
        "action": RuleAction.REQUIRE,
        "requirement": "sales_approval",
    },
    {
        "key": "marketing-in-key-account-reviews",
        "statement": "Marketing is invited to the review of each segment's top ten accounts.",
        "event": "account.review",
        "conditions": [{"field": "is_key_account", "op": "eq", "value": True}],
        "action": RuleAction.INVOLVE,
        "target_relation": "account_marketers",
    },
    {
        "key": "launch-after-sales-readiness",
        "statement": (
            "A product launch is announced only after its sales-readiness checklist is complete."
        ),
        "event": "launch.announced",
        "conditions": [],
        "action": RuleAction.REQUIRE,
        "requirement": "checklist_complete",
    },
)


def can_edit_rules(person: Person | None) -> bool:
    if person is None:
        return False
    return Role(person.role) in RULE_EDITORS or bool(person.user and person.user.is_superuser)


def default_owner() -> Person | None:
    """Shipped rules belong to the revenue leader, else an admin, until someone takes them."""
    for role in (Role.REVENUE_LEADER, Role.ADMIN):
        person = Person.objects.filter(role=role, is_active=True).order_by("pk").first()
        if person is not None:
            return person
    return None


def default_rules_install() -> list[Rule]:
    """Create the research's four rules if missing; give ownerless ones an owner."""
    owner = default_owner()
    now = timezone.now()
    installed = []
    with transaction.atomic():
        for spec in DEFAULT_RULES:
            rule, _ = Rule.objects.get_or_create(
                key=spec["key"],
                defaults={**spec, "owner": owner, "created_at": now, "updated_at": now},
            )
            if rule.owner_id is None and owner is not None:
                Rule.objects.filter(pk=rule.pk).update(owner=owner)
                rule.owner = owner
            installed.append(rule)
    return installed


def rule_validate(data: dict[str, Any]) -> dict[str, str]:
    """Field → message for everything wrong with a rule's data (empty when valid)."""
    errors: dict[str, str] = {}
    event = EVENTS.get(data.get("event", ""))
    if not data.get("statement", "").strip():
        errors["statement"] = STATEMENT_REQUIRED
    if event is None:
        errors["event"] = "Choose the event the rule listens to."
        return errors
    for number, condition in enumerate(data.get("conditions", []), start=1):
        try:
            condition_check(event, condition)
        except ValueError as exc:
            errors[f"condition_{number}"] = str(exc)
    if data.get("action") == RuleAction.REQUIRE:
        requirement = REQUIREMENTS.get(data.get("requirement", ""))
        if requirement is None:
            errors["requirement"] = NEEDS_REQUIREMENT
        elif requirement.object_type not in (event.object_type, ANY_RECORD):
            errors["requirement"] = WRONG_REQUIREMENT.format(
                label=requirement.label, kind=requirement.object_type
            )
    elif not (data.get("target_role") or data.get("target_person") or data.get("target_relation")):
        errors["target_role"] = NEEDS_TARGET
    if data.get("target_relation") and data["target_relation"] not in RELATIONS:
        errors["target_relation"] = "Unknown relation."
    return errors


class RuleInvalid(ValueError):
    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        super().__init__("; ".join(errors.values()))


RULE_FIELDS = (
    "statement",
    "owner",
    "event",
    "conditions",
    "action",
    "target_role",
    "target_person",
    "target_relation",
    "requirement",
    "task_due_days",
    "is_active",
)


def rule_save(*, by: Person | None, rule: Rule | None = None, **data: Any) -> Rule:
    """Create (``rule`` None) or change a rule; refuses non-editors and invalid data."""
    if not can_edit_rules(by):
        raise PermissionError(NOT_A_RULE_EDITOR)
    errors = rule_validate(data)
    if errors:
        raise RuleInvalid(errors)
    now = timezone.now()
    target = rule or Rule(created_at=now)
    for name in RULE_FIELDS:
        if name in data:
            setattr(target, name, data[name])
    if data.get("action") == RuleAction.REQUIRE:
        target.target_role, target.target_person, target.target_relation = "", None, ""
    else:
        target.requirement = ""
    target.owner = target.owner or by
    target.updated_at = now
    target.save()
    return target


NOT_AN_APPROVER = "Only managers, revenue leaders and admins give the go-ahead."
NOTHING_TO_APPROVE = "This firing is not waiting for a manager's approval."


def approval_grant(*, firing: RuleFiring, by: Person | None) -> tuple[RuleApproval, bool]:
    """Let a blocked change through next time; tells whoever was blocked. Idempotent."""
    if not can_edit_rules(by):
        raise PermissionError(NOT_AN_APPROVER)
    rule = firing.rule
    if firing.outcome != FiringOutcome.BLOCKED or rule.requirement != "manager_approval":
        raise ValueError(NOTHING_TO_APPROVE)
    with transaction.atomic():
        approval, created = RuleApproval.objects.get_or_create(
            rule=rule,
            object_type=firing.object_type,
            object_id=firing.object_id,
            defaults={"approved_by": by, "approved_at": timezone.now()},
        )
        if created and firing.actor is not None:
            notification_send(
                recipient=firing.actor,
                kind="rule",
                title=f"Go-ahead from {by.name}: {firing.object_label}"[:200],
                body=f"Rule of engagement: {rule.statement} Try the change again.",
                link=reverse("playbook:firings")
                + f"?object={firing.object_type}-{firing.object_id}",
            )
    return approval, created


def rule_set_active(*, rule: Rule, active: bool, by: Person | None) -> Rule:
    if not can_edit_rules(by):
        raise PermissionError(NOT_A_RULE_EDITOR)
    Rule.objects.filter(pk=rule.pk).update(is_active=active, updated_at=timezone.now())
    rule.refresh_from_db()
    return rule
