"""What a rule can speak about: events, the fields of their records, whom to involve,
and what a blocking rule can require. One registry each, so forms, the engine and
the docs read the same lists.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import models

from accord.directory.models import Person

Facts = dict[str, Any]
Changes = dict[str, tuple[Any, Any]]


@dataclass(frozen=True)
class Field:
    label: str
    kind: str  # "number", "text" or "bool"


@dataclass(frozen=True)
class Event:
    key: str
    label: str
    object_type: str
    fields: dict[str, Field]


EVENTS: dict[str, Event] = {
    e.key: e
    for e in (
        Event(
            "opportunity.changed",
            "An opportunity is created or its amount or stage changes",
            "opportunity",
            {
                "amount_company": Field("Amount (company currency)", "number"),
                "stage": Field("Stage", "text"),
                "is_closed": Field("Closed", "bool"),
                "segment": Field("Account segment (slug)", "text"),
            },
        ),
        Event(
            "collateral.state_changed",
            "A piece of collateral moves in its review workflow",
            "collateral",
            {
                "to_state": Field("New state", "text"),
                "from_state": Field("Previous state", "text"),
                "kind": Field("Kind of material", "text"),
                "segment": Field("Segment (slug)", "text"),
            },
        ),
        Event(
            "launch.announced",
            "A product launch is about to be announced",
            "launch",
            {"open_points": Field("Open readiness points", "number")},
        ),
        Event(
            "account.review",
            "A review of a key account's plan is scheduled",
            "account",
            {
                "is_key_account": Field("Among the segment's key accounts", "bool"),
                "segment": Field("Segment (slug)", "text"),
                "plan_status": Field("Plan status", "text"),
            },
        ),
    )
}

OPERATORS: dict[str, str] = {
    "eq": "is",
    "ne": "is not",
    "gt": "is above",
    "gte": "is at least",
    "lt": "is below",
    "lte": "is at most",
    "changed": "has just changed",
}
NUMBER_ONLY = frozenset({"gt", "gte", "lt", "lte"})
BOOL_WORDS = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}


def field_value(field: Field, raw: str) -> Any:
    """The typed value of a condition typed into a form; ValueError says what is wrong."""
    text = raw.strip()
    if field.kind == "number":
        try:
            return float(Decimal(text.replace(",", "")))
        except InvalidOperation:
            raise ValueError(f"{field.label} compares with a number, not {raw!r}.") from None
    if field.kind == "bool":
        if text.lower() not in BOOL_WORDS:
            raise ValueError(f"{field.label} is yes or no, not {raw!r}.")
        return BOOL_WORDS[text.lower()]
    if not text:
        raise ValueError(f"Give the value {field.label.lower()} is compared with.")
    return text


def condition_check(event: Event, condition: dict[str, Any]) -> None:
    """Raise ValueError naming the problem when a stored condition cannot be evaluated."""
    field = event.fields.get(condition.get("field", ""))
    if field is None:
        raise ValueError(f"{event.label} has no field {condition.get('field')!r}.")
    op = condition.get("op", "")
    if op not in OPERATORS:
        raise ValueError(f"Unknown comparison {op!r}.")
    if op in NUMBER_ONLY and field.kind != "number":
        raise ValueError(f"{field.label} is not a number: it cannot be above or below.")


def condition_holds(condition: dict[str, Any], facts: Facts, changes: Changes) -> bool:
    name, op, want = condition["field"], condition["op"], condition.get("value")
    if op == "changed":
        return name in changes
    have = facts.get(name)
    if have is None:
        return False
    if isinstance(have, Decimal | int | float) and not isinstance(have, bool):
        have, want = Decimal(str(have)), Decimal(str(want))
    return {
        "eq": lambda: have == want,
        "ne": lambda: have != want,
        "gt": lambda: have > want,
        "gte": lambda: have >= want,
        "lt": lambda: have < want,
        "lte": lambda: have <= want,
    }[op]()


def condition_text(event_key: str, condition: dict[str, Any]) -> str:
    event = EVENTS.get(event_key)
    field = event.fields.get(condition["field"]) if event else None
    label = field.label if field else condition["field"]
    if condition["op"] == "changed":
        return f"{label} has just changed"
    value = condition.get("value")
    if isinstance(value, bool):
        value = "yes" if value else "no"
    elif isinstance(value, int | float) and float(value).is_integer():
        value = f"{int(value):,}"
    return f"{label} {OPERATORS.get(condition['op'], condition['op'])} {value}"


# Whom a rule involves besides a named role or person: people related to the record.
Relation = Callable[[models.Model], list[Person]]


def _owner(obj: models.Model) -> list[Person]:
    owner = getattr(obj, "owner", None) or getattr(obj, "rep_owner", None)
    return [owner] if owner is not None else []


def _segment_liaison(obj: models.Model) -> list[Person]:
    segment = getattr(obj, "segment", None)
    if segment is None and hasattr(obj, "account"):
        segment = obj.account.segment
    return [segment.liaison] if segment is not None and segment.liaison else []


def _account_marketers(obj: models.Model) -> list[Person]:
    """For an account review: the plan's marketer owner, attached marketers, the liaison."""
    plan = getattr(obj, "plan", None)
    people = list(_segment_liaison(obj))
    if plan is not None:
        if plan.marketer_owner:
            people.append(plan.marketer_owner)
        people.extend(plan.marketers.all())
    return people


RELATIONS: dict[str, tuple[str, Relation]] = {
    "owner": ("The record's owner", _owner),
    "segment_liaison": ("The segment's marketing liaison", _segment_liaison),
    "account_marketers": (
        "Marketing on the account (plan marketers and liaison)",
        _account_marketers,
    ),
}


@dataclass(frozen=True)
class Requirement:
    label: str
    object_type: str
    unblock: str
    check: Callable[[Any, Any], bool]  # (rule, record) -> satisfied?


ANY_RECORD = "any"


def _sales_approved(rule: Any, collateral: Any) -> bool:
    reviewer = collateral.approved_by
    return reviewer is not None and reviewer.side in ("sales", "both")


def _checklist_complete(rule: Any, launch: Any) -> bool:
    return not launch.checklist.filter(done_at__isnull=True).exists()


def _manager_approved(rule: Any, obj: Any) -> bool:
    from accord.playbook.models import RuleApproval

    return RuleApproval.objects.filter(
        rule=rule, object_type=obj._meta.model_name, object_id=obj.pk
    ).exists()


REQUIREMENTS: dict[str, Requirement] = {
    "sales_approval": Requirement(
        "A sales reviewer approved it",
        "collateral",
        "a sales reviewer (a rep, a sales manager or a revenue leader) approves it in review",
        _sales_approved,
    ),
    "checklist_complete": Requirement(
        "The sales-readiness checklist is complete",
        "launch",
        "tick every point of the launch's sales-readiness checklist",
        _checklist_complete,
    ),
    "manager_approval": Requirement(
        "A manager approved it",
        ANY_RECORD,
        "a sales or marketing manager, a revenue leader or an admin approves it from the "
        "log of what the rules did",
        _manager_approved,
    ),
}
