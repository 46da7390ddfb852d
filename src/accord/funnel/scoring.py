"""Lead scoring both sides agreed on: fit points plus decaying engagement points.

A score always explains itself: every rule that fired and the points it gave.
Engagement fades with a half-life, so a webinar last week counts more than a
webinar last year. Until someone publishes a rule set, the defaults below are
in force (``services.funnel_defaults_ensure`` stores them as version 1).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from accord.crm.choices import TouchKind
from accord.crm.models import Lead, Touch
from accord.funnel.models import RuleAttribute, ScoringRuleSet

SECONDS_PER_DAY = 86400


@dataclass(frozen=True)
class Rule:
    attribute: str
    points: int
    value: str = ""
    minimum: int | None = None
    maximum: int | None = None

    @property
    def label(self) -> str:
        name = RuleAttribute(self.attribute).label
        if self.attribute == RuleAttribute.COMPANY_SIZE:
            upper = "" if self.maximum is None else f"-{self.maximum}"
            return f"{name} {self.minimum or 0}{upper or '+'} employees"
        if self.attribute == RuleAttribute.TOUCH:
            return f"{name} “{TouchKind(self.value).label}”"
        return f"{name} “{self.value}”"


@dataclass(frozen=True)
class Rules:
    version: int
    mql_threshold: int
    half_life_days: float
    rules: tuple[Rule, ...]
    recycle_points: int = 25


DEFAULT_RULES = Rules(
    version=0,
    mql_threshold=50,
    half_life_days=30.0,
    rules=(
        Rule(RuleAttribute.TITLE_CONTAINS, 15, "director"),
        Rule(RuleAttribute.TITLE_CONTAINS, 20, "vp"),
        Rule(RuleAttribute.TITLE_CONTAINS, 20, "chief"),
        *(Rule(RuleAttribute.TITLE_CONTAINS, 20, c) for c in ("ceo", "cfo", "coo", "cmo")),
        Rule(RuleAttribute.TITLE_CONTAINS, 10, "head"),
        Rule(RuleAttribute.TITLE_CONTAINS, -30, "student"),
        Rule(RuleAttribute.COMPANY_SIZE, 10, minimum=50, maximum=999),
        Rule(RuleAttribute.COMPANY_SIZE, 20, minimum=1000),
        Rule(RuleAttribute.TOUCH, 25, TouchKind.FORM_FILL),
        Rule(RuleAttribute.TOUCH, 15, TouchKind.WEBINAR),
        Rule(RuleAttribute.TOUCH, 15, TouchKind.EVENT_VISIT),
        Rule(RuleAttribute.TOUCH, 10, TouchKind.CONTENT_DOWNLOAD),
        Rule(RuleAttribute.TOUCH, 3, TouchKind.EMAIL_CLICK),
        Rule(RuleAttribute.TOUCH, 2, TouchKind.WEB_VISIT),
    ),
)


@dataclass(frozen=True)
class Fired:
    label: str
    points: float


@dataclass(frozen=True)
class Score:
    total: int
    fired: tuple[Fired, ...]
    threshold: int
    rules_version: int

    @property
    def is_mql(self) -> bool:
        return self.total >= self.threshold

    def explain(self) -> list[dict[str, object]]:
        return [{"rule": f.label, "points": f.points} for f in self.fired]


def rules_in_force() -> Rules:
    """The newest version both sides signed; the shipped defaults until there is one."""
    signed = ScoringRuleSet.objects.filter(in_force_from__isnull=False)
    stored = signed.prefetch_related("rules").order_by("-version").first()
    return DEFAULT_RULES if stored is None else rules_of(stored)


def rules_of(stored: ScoringRuleSet) -> Rules:
    return Rules(
        version=stored.version,
        mql_threshold=stored.mql_threshold,
        half_life_days=stored.half_life_days,
        rules=tuple(
            Rule(r.attribute, r.points, r.value, r.minimum, r.maximum) for r in stored.rules.all()
        ),
        recycle_points=stored.recycle_points,
    )


@dataclass(frozen=True)
class Facts:
    """What fit rules look at, gathered once per lead."""

    title: str = ""
    employees: int | None = None
    industry: str = ""
    countries: frozenset[str] = frozenset()
    segments: frozenset[str] = frozenset()


def lead_facts(lead: Lead) -> Facts:
    contact, account = lead.contact, lead.account
    segments = {s.slug.lower() for s in (lead.segment, account and account.segment) if s}
    countries = {c.upper() for c in (contact and contact.country, account and account.country) if c}
    return Facts(
        title=(contact.title if contact else "").lower(),
        employees=account.employees if account else None,
        industry=(account.industry if account else "").lower(),
        countries=frozenset(countries),
        segments=frozenset(segments),
    )


def fit_fires(rule: Rule, facts: Facts) -> bool:
    value = rule.value.strip().lower()
    match rule.attribute:
        case RuleAttribute.TITLE_CONTAINS:
            return bool(value) and re.search(rf"\b{re.escape(value)}\b", facts.title) is not None
        case RuleAttribute.COMPANY_SIZE:
            if facts.employees is None:
                return False
            low, high = rule.minimum or 0, rule.maximum
            return facts.employees >= low and (high is None or facts.employees <= high)
        case RuleAttribute.INDUSTRY:
            return value == facts.industry
        case RuleAttribute.COUNTRY:
            return value.upper() in facts.countries
        case RuleAttribute.SEGMENT:
            return value in facts.segments
    return False


def decayed(occurred_at: datetime, at: datetime, half_life_days: float) -> float:
    """The weight of a touch ``at`` a moment: 1 when fresh, 0.5 after one half-life."""
    age_days = max(0.0, (at - occurred_at).total_seconds() / SECONDS_PER_DAY)
    return 0.5 ** (age_days / half_life_days)


def lead_touches(lead: Lead, at: datetime) -> list[tuple[str, datetime]]:
    if lead.contact_id is None:
        return []
    return list(
        Touch.objects.filter(contact_id=lead.contact_id, occurred_at__lte=at).values_list(
            "kind", "occurred_at"
        )
    )


def score_compute(
    rules: Rules, facts: Facts, touches: Iterable[tuple[str, datetime]], at: datetime
) -> Score:
    """The pure part: no database, so it is easy to check by hand."""
    fired = [Fired(r.label, float(r.points)) for r in rules.rules if fit_fires(r, facts)]
    by_kind: dict[str, list[datetime]] = {}
    for kind, occurred_at in touches:
        by_kind.setdefault(kind, []).append(occurred_at)
    for rule in rules.rules:
        if rule.attribute != RuleAttribute.TOUCH or rule.value not in by_kind:
            continue
        moments = by_kind[rule.value]
        weight = sum(decayed(m, at, rules.half_life_days) for m in moments)
        label = f"{rule.label} x{len(moments)}"
        fired.append(Fired(label, round(rule.points * weight, 1)))
    total = round(sum(f.points for f in fired))
    return Score(total, tuple(fired), rules.mql_threshold, rules.version)


def engagement_since(
    rules: Rules, touches: Iterable[tuple[str, datetime]], since: datetime, at: datetime
) -> float:
    """Engagement points (decayed to ``at``) from touches after ``since`` only.

    A recycled lead must earn these anew before it may be an MQL again: the
    engagement that made it an MQL the first time does not count twice.
    """
    later = [(kind, moment) for kind, moment in touches if moment > since]
    points: dict[str, int] = {}
    for rule in rules.rules:
        if rule.attribute == RuleAttribute.TOUCH:
            points[rule.value] = points.get(rule.value, 0) + rule.points
    return sum(
        points.get(kind, 0) * decayed(moment, at, rules.half_life_days) for kind, moment in later
    )


def lead_score(lead: Lead, at: datetime, rules: Rules | None = None) -> Score:
    """The lead's score at a moment, with the rules that fired and their points."""
    rules = rules or rules_in_force()
    return score_compute(rules, lead_facts(lead), lead_touches(lead, at), at)
