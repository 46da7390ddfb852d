"""Scoring rules both sides sign: a manager proposes a version, two managers sign it.

Like stage definitions, a proposal holds only once a sales manager and a
marketing manager have both signed it; the second signature puts it in force
and rescores every lead still in play. Until then the previous signed
version scores leads. A newer proposal supersedes an unsigned older one.

Rules are written one per line, ``kind | value | points``, so a manager can
edit the whole set at once and every mistake is named by its line::

    title_contains | vp | 20
    company_size | 50-999 | 10
    company_size | 1000+ | 20
    touch | form_fill | 25
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from accord.crm.choices import TouchKind
from accord.directory.models import Person
from accord.directory.roles import MANAGER_ROLES, Role
from accord.funnel import scoring, services
from accord.funnel.models import RuleAttribute, ScoringRuleSet

PROPOSE_NOT_ALLOWED = "Only managers and revenue leaders propose scoring rules."
SIGN_NEEDS_MANAGER = "Only a sales manager or a marketing manager signs scoring rules."
ALREADY_SIGNED = "Your side has already signed this version."
SUPERSEDED = "A newer version of the scoring rules has been proposed; sign that one instead."
ALREADY_IN_FORCE = "This version is already in force."
SIZE_PATTERN = re.compile(r"^\s*(\d+)\s*(?:-\s*(\d+)|\+)\s*$")
LIMITS = {
    "mql_threshold": (1, 1000),
    "half_life_days": (1, 3650),
    "recycle_points": (0, 1000),
}
POINTS_LIMIT = 100


class RuleSetError(Exception):
    """A proposal or signature refused; ``problems`` names each field or line at fault."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(" ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Proposal:
    rules: tuple[scoring.Rule, ...]
    mql_threshold: int
    half_life_days: float
    recycle_points: int


def rules_as_text(rules: tuple[scoring.Rule, ...]) -> str:
    """The editable text of a rule set (the form starts from the rules in force)."""
    return "\n".join(f"{r.attribute} | {_value_text(r)} | {r.points}" for r in rules)


def _value_text(rule: scoring.Rule) -> str:
    if rule.attribute == RuleAttribute.COMPANY_SIZE:
        low = rule.minimum or 0
        return f"{low}+" if rule.maximum is None else f"{low}-{rule.maximum}"
    return rule.value


def proposal_parse(
    *, text: str, mql_threshold: str, half_life_days: str, recycle_points: str
) -> Proposal:
    """Check everything and report every problem at once, or return the proposal."""
    problems: list[str] = []
    numbers = {
        name: _number(name, raw, problems)
        for name, raw in (
            ("mql_threshold", mql_threshold),
            ("half_life_days", half_life_days),
            ("recycle_points", recycle_points),
        )
    }
    rules = _rules_parse(text, problems)
    if problems:
        raise RuleSetError(problems)
    return Proposal(
        rules=rules,
        mql_threshold=int(numbers["mql_threshold"]),
        half_life_days=float(numbers["half_life_days"]),
        recycle_points=int(numbers["recycle_points"]),
    )


def _number(name: str, raw: str, problems: list[str]) -> float:
    low, high = LIMITS[name]
    label = name.replace("_", " ")
    try:
        value = float(raw.strip())
    except ValueError:
        problems.append(f"{label}: “{raw}” is not a number.")
        return 0
    whole = name != "half_life_days"
    if not math.isfinite(value) or not low <= value <= high or (whole and value != int(value)):
        kind = "a whole number" if whole else "a number"
        problems.append(f"{label}: give {kind} from {low} to {high}.")
    return value


def _rules_parse(text: str, problems: list[str]) -> tuple[scoring.Rule, ...]:
    rules: list[scoring.Rule] = []
    seen: set[tuple[str, str]] = set()
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        rule = _rule_parse(line, f"line {number}", problems)
        if rule is None:
            continue
        key = (rule.attribute, _value_text(rule).lower())
        if key in seen:
            problems.append(f"line {number}: the same rule appears twice.")
        seen.add(key)
        rules.append(rule)
    if not rules and not problems:
        problems.append("rules: write at least one rule.")
    return tuple(rules)


def _rule_parse(line: str, where: str, problems: list[str]) -> scoring.Rule | None:
    parts = [part.strip() for part in line.split("|")]
    if len(parts) != 3:
        problems.append(f"{where}: write kind | value | points.")
        return None
    kind, value, points_text = parts
    if kind not in RuleAttribute.values:
        problems.append(f"{where}: “{kind}” is not a kind; use {', '.join(RuleAttribute.values)}.")
        return None
    try:
        points = int(points_text)
    except ValueError:
        problems.append(f"{where}: points “{points_text}” is not a whole number.")
        return None
    if points == 0 or abs(points) > POINTS_LIMIT:
        problems.append(f"{where}: points must be from -{POINTS_LIMIT} to {POINTS_LIMIT}, not 0.")
        return None
    return _rule_for(kind, value, points, where, problems)


def _rule_for(
    kind: str, value: str, points: int, where: str, problems: list[str]
) -> scoring.Rule | None:
    if kind == RuleAttribute.COMPANY_SIZE:
        match = SIZE_PATTERN.match(value)
        low, high = (int(match[1]), int(match[2]) if match[2] else None) if match else (0, None)
        if match is None or (high is not None and high < low):
            problems.append(f"{where}: company size is written 50-999 or 1000+.")
            return None
        return scoring.Rule(kind, points, minimum=low, maximum=high)
    if kind == RuleAttribute.TOUCH and value not in TouchKind.values:
        problems.append(
            f"{where}: “{value}” is not a touch kind; use {', '.join(TouchKind.values)}."
        )
        return None
    if kind == RuleAttribute.COUNTRY and not re.fullmatch(r"[A-Za-z]{2}", value):
        problems.append(f"{where}: a country is its two-letter code, like DE.")
        return None
    if not value or len(value) > 120:
        problems.append(f"{where}: give a value of 1 to 120 characters.")
        return None
    return scoring.Rule(kind, points, value.upper() if kind == RuleAttribute.COUNTRY else value)


def rule_set_propose(*, proposal: Proposal, by: Person, note: str = "") -> ScoringRuleSet:
    """Store a new version awaiting both signatures; the signed one keeps scoring meanwhile."""
    if Role(by.role) not in MANAGER_ROLES:
        raise RuleSetError([PROPOSE_NOT_ALLOWED])
    with transaction.atomic():
        latest = ScoringRuleSet.objects.select_for_update().order_by("-version").first()
        version = (latest.version if latest else 0) + 1
        draft = scoring.Rules(
            version,
            proposal.mql_threshold,
            proposal.half_life_days,
            proposal.rules,
            proposal.recycle_points,
        )
        return services.rule_set_store(
            draft, version=version, by=by, note=note.strip()[:200], in_force=False
        )


def rule_set_sign(*, rule_set: ScoringRuleSet, by: Person) -> ScoringRuleSet:
    """Sign for your side; the second signature puts the version in force and rescores."""
    side = services.SIGNING_SIDE.get(Role(by.role))
    if side is None:
        raise RuleSetError([SIGN_NEEDS_MANAGER])
    with transaction.atomic():
        row = ScoringRuleSet.objects.select_for_update().get(pk=rule_set.pk)
        _check_signable(row, side)
        now = timezone.now()
        setattr(row, f"{side}_signed_by", by)
        setattr(row, f"{side}_signed_at", now)
        if row.sales_signed_at and row.marketing_signed_at:
            row.in_force_from = now
        row.save()
    if row.in_force_from is not None:
        services.leads_rescore()
    return row


def _check_signable(row: ScoringRuleSet, side: str) -> None:
    if row.in_force_from is not None:
        raise RuleSetError([ALREADY_IN_FORCE])
    if ScoringRuleSet.objects.filter(version__gt=row.version).exists():
        raise RuleSetError([SUPERSEDED])
    if getattr(row, f"{side}_signed_at") is not None:
        raise RuleSetError([ALREADY_SIGNED])


def rule_set_pending() -> ScoringRuleSet | None:
    """The newest proposal awaiting signatures, if it is newer than the rules in force."""
    latest = ScoringRuleSet.objects.prefetch_related("rules").order_by("-version").first()
    return latest if latest is not None and latest.in_force_from is None else None
