"""Who gets a new MQL: the account's owner, else the least-loaded matching rep.

Weighted round robin without stored state: each candidate's load is the
number of leads routed to them in the last ``LOAD_WINDOW`` divided by their
capacity; the lowest load wins and ties go to the lower id. Over a stream of
leads this hands out work in proportion to capacity, and it is deterministic.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Q, QuerySet

from accord.crm.models import Lead
from accord.directory.models import Person, Segment, Territory
from accord.directory.roles import Role

LOAD_WINDOW = timedelta(days=30)
RULE_ACCOUNT_OWNER = "Account owner"
RULE_MATCHED = "Round robin by capacity among reps for {scope}"
RULE_ANY_REP = "Round robin by capacity among all reps (none matched territory and segment)"
RULE_NOBODY = "No rep available: left unassigned"


@dataclass(frozen=True)
class Route:
    owner: Person | None
    rule: str


def lead_territory(lead: Lead) -> Territory | None:
    if lead.account is not None and lead.account.territory is not None:
        return lead.account.territory
    country = (lead.contact.country if lead.contact else "") or (
        lead.account.country if lead.account else ""
    )
    if not country:
        return None
    return next(
        (t for t in Territory.objects.order_by("pk") if country.upper() in t.countries), None
    )


def lead_segment_for_routing(lead: Lead) -> Segment | None:
    return lead.segment or (lead.account.segment if lead.account else None)


def available_reps(at: datetime) -> QuerySet[Person]:
    today = at.date()
    return Person.objects.filter(role=Role.SALES_REP, is_active=True, capacity__gt=0).filter(
        Q(out_of_office_until__isnull=True) | Q(out_of_office_until__lt=today)
    )


def least_loaded(candidates: QuerySet[Person], at: datetime) -> Person | None:
    loaded = candidates.annotate(
        load=Count("leads", distinct=True, filter=Q(leads__assigned_at__gte=at - LOAD_WINDOW))
    )
    people = {p.pk: p for p in loaded}
    chosen = pick_least_loaded([(p.pk, p.load, p.capacity) for p in people.values()])
    return None if chosen is None else people[chosen]


def pick_least_loaded(candidates: list[tuple[int, int, int]]) -> int | None:
    """From (id, load, capacity) rows, the id whose next lead weighs least on them."""
    if not candidates:
        return None
    return min(candidates, key=lambda c: ((c[1] + 1) / c[2], c[0]))[0]


def _scope_label(territory: Territory | None, segment: Segment | None) -> str:
    parts = [str(x) for x in (territory, segment) if x is not None]
    return " and ".join(parts) or "any territory"


def route_lead(lead: Lead, at: datetime, *, exclude: int | None = None) -> Route:
    """Decide the owner of a lead becoming an MQL, with the rule that decided.

    ``exclude`` leaves one person out (the owner who let the clock run out).
    """
    account_owner = lead.account.owner if lead.account else None
    if account_owner is not None and account_owner.is_active and account_owner.pk != exclude:
        return Route(account_owner, RULE_ACCOUNT_OWNER)
    territory, segment = lead_territory(lead), lead_segment_for_routing(lead)
    reps = available_reps(at).exclude(pk=exclude)
    matching = reps
    if territory is not None:
        matching = matching.filter(territories=territory)
    if segment is not None:
        matching = matching.filter(segments=segment)
    chosen = least_loaded(matching, at)
    if chosen is not None:
        return Route(chosen, RULE_MATCHED.format(scope=_scope_label(territory, segment)))
    chosen = least_loaded(reps, at)
    if chosen is not None:
        return Route(chosen, RULE_ANY_REP)
    return Route(None, RULE_NOBODY)
