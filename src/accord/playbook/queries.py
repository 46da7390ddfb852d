"""Reads with business meaning for the playbook pages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Avg, Count, Q, QuerySet

from accord.directory.access import User, opportunities_for_user, person_for_user
from accord.directory.models import Person, Segment
from accord.directory.roles import ROLE_INFO, Role
from accord.playbook.access import (
    collateral_for_user,
    is_manager,
    is_marketing,
    is_sales,
    plans_for_user,
)
from accord.playbook.collateral import NEXT, SALES_STEPS, step_label
from accord.playbook.models import (
    AccountPlan,
    Collateral,
    CollateralRating,
    ContentGap,
    KeyAccountOverride,
    Launch,
    Rule,
    RuleAction,
    RuleFiring,
)
from accord.playbook.selection import ScoredAccount, key_accounts
from accord.playbook.vocabulary import EVENTS, RELATIONS, REQUIREMENTS, condition_text


@dataclass(frozen=True)
class RuleRow:
    rule: Rule
    when: str
    then: str
    firings: int


def rule_when(rule: Rule) -> str:
    event = EVENTS.get(rule.event)
    head = event.label if event else rule.event
    parts = [condition_text(rule.event, c) for c in rule.conditions]
    return head + (", and " + "; ".join(parts) if parts else "")


def rule_then(rule: Rule) -> str:
    if rule.action == RuleAction.REQUIRE:
        requirement = REQUIREMENTS.get(rule.requirement)
        return f"Block the change until: {requirement.label if requirement else rule.requirement}"
    whom = []
    if rule.target_role:
        whom.append(f"every {ROLE_INFO[Role(rule.target_role)].label.lower()}")
    if rule.target_person:
        whom.append(rule.target_person.name)
    if rule.target_relation in RELATIONS:
        whom.append(RELATIONS[rule.target_relation][0].lower())
    verb = {
        RuleAction.INVOLVE: "Involve",
        RuleAction.NOTIFY: "Notify",
        RuleAction.TASK: f"Give an action item (due in {rule.task_due_days} days) to",
    }[RuleAction(rule.action)]
    return f"{verb} {' and '.join(whom)}"


def rule_rows() -> list[RuleRow]:
    rules = Rule.objects.select_related("owner", "target_person").annotate(n=Count("firings"))
    return [RuleRow(r, rule_when(r), rule_then(r), r.n) for r in rules]


def firings_for_user(user: User) -> QuerySet[RuleFiring]:
    """Firings on deals the person may not see stay hidden (their names are deal names)."""
    if person_for_user(user) is None:
        return RuleFiring.objects.none()
    hidden = Q(object_type="opportunity") & ~Q(
        object_id__in=opportunities_for_user(user).values("pk")
    )
    return RuleFiring.objects.exclude(hidden)


def firings_recent(
    user: User, *, object_ref: str = "", outcome: str = "", limit: int = 100
) -> QuerySet[RuleFiring]:
    """The latest firings; ``object_ref`` like ``opportunity-12`` narrows to one record."""
    rows = firings_for_user(user).select_related("rule", "actor").prefetch_related("recipients")
    kind, _, pk = object_ref.partition("-")
    if kind and pk.isdigit():
        rows = rows.filter(object_type=kind, object_id=int(pk))
    if outcome:
        rows = rows.filter(outcome=outcome)
    return rows[:limit]


def library(user: User, *, state: str = "") -> QuerySet[Collateral]:
    rows = collateral_for_user(user).annotate(
        stars=Avg("ratings__stars"),
        ratings_count=Count("ratings", distinct=True),
        uses_count=Count("uses", distinct=True),
    )
    return rows.filter(state=state) if state else rows


@dataclass(frozen=True)
class Step:
    to_state: str
    label: str
    needs_note: bool


def steps_for(person: Person | None, collateral: Collateral) -> list[Step]:
    """The workflow steps this person may take from the piece's current state."""
    if person is None:
        return []
    steps = []
    for to_state in NEXT[collateral.state]:
        step = (collateral.state, to_state)
        allowed = (
            is_sales(person)
            if step in SALES_STEPS
            else is_marketing(person) or is_manager(person) or person.pk == collateral.owner_id
        )
        if allowed:
            needs_note = step == ("in_sales_review", "draft")
            steps.append(Step(to_state, step_label(*step), needs_note))
    return steps


def collateral_facts(collateral: Collateral, person: Person | None) -> dict[str, object]:
    ratings = CollateralRating.objects.filter(collateral=collateral)
    mine = ratings.filter(rater=person).first() if person else None
    return {
        "comments": collateral.comments.select_related("author"),
        "stars": ratings.aggregate(avg=Avg("stars"))["avg"],
        "ratings_count": ratings.count(),
        "uses_count": collateral.uses.count(),
        "my_rating": mine.stars if mine else None,
        "firings": RuleFiring.objects.filter(
            object_type="collateral", object_id=collateral.pk
        ).select_related("rule"),
    }


def gaps(*, status: str = "") -> QuerySet[ContentGap]:
    rows = ContentGap.objects.select_related("requested_by", "picked_by", "segment", "collateral")
    return rows.filter(status=status) if status else rows


def launches() -> QuerySet[Launch]:
    return Launch.objects.select_related("owner").annotate(
        open_points=Count("checklist", filter=Q(checklist__done_at__isnull=True)),
        points=Count("checklist"),
    )


@dataclass(frozen=True)
class KeyAccountRow:
    scored: ScoredAccount
    plan: AccountPlan | None
    visible: bool


def key_account_board(
    user: User, *, top: int, as_of: datetime | None = None
) -> list[tuple[Segment, list[KeyAccountRow]]]:
    """Each segment's key accounts with their plan (if any) and whether you may open it."""
    chosen = key_accounts(top=top, as_of=as_of)
    ids = [s.account.pk for items in chosen.values() for s in items]
    plans = {p.account_id: p for p in AccountPlan.objects.filter(account_id__in=ids)}
    visible = set(plans_for_user(user).filter(account_id__in=ids).values_list("pk", flat=True))

    def row(scored: ScoredAccount) -> KeyAccountRow:
        plan = plans.get(scored.account.pk)
        return KeyAccountRow(scored, plan, plan is not None and plan.pk in visible)

    ordered = sorted(chosen.items(), key=lambda kv: kv[0].name)
    return [(segment, [row(s) for s in items]) for segment, items in ordered]


def kept_out() -> QuerySet[KeyAccountOverride]:
    return KeyAccountOverride.objects.filter(include=False).select_related(
        "account__segment", "set_by"
    )
