"""Reads for the "who to call" directory."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from accord.crm.models import Account
from accord.directory.models import Person, Segment
from accord.directory.roles import ROLE_INFO

MAX_RESULTS = 50


def _role_values_matching(term: str) -> list[str]:
    term = term.lower()
    return [role.value for role, info in ROLE_INFO.items() if term in info.label.lower()]


def people_search(*, query: str = "", role: str = "", segment: str = "") -> QuerySet[Person]:
    """People matching every word of the query by name, title, account, segment, topic or role."""
    people = Person.objects.filter(is_active=True)
    for word in query.split():
        people = people.filter(
            Q(name__icontains=word)
            | Q(title__icontains=word)
            | Q(email__icontains=word)
            | Q(team__name__icontains=word)
            | Q(owned_accounts__name__icontains=word)
            | Q(segments__name__icontains=word)
            | Q(territories__name__icontains=word)
            | Q(topics__name__icontains=word)
            | Q(liaison_for__name__icontains=word)
            | Q(role__in=_role_values_matching(word))
        )
    if role:
        people = people.filter(role=role)
    if segment:
        people = people.filter(Q(segments__slug=segment) | Q(liaison_for__slug=segment))
    ids = people.values("pk").distinct()
    return (
        Person.objects.filter(pk__in=ids)
        .select_related("team")
        .prefetch_related("segments", "topics", "liaison_for")
        .annotate(account_count=Count("owned_accounts", distinct=True))
        .order_by("name")[:MAX_RESULTS]
    )


def accounts_matching(query: str, limit: int = 5) -> QuerySet[Account]:
    """Accounts named like the query, with their owner: 'who owns Acme?'."""
    if len(query.strip()) < 2:
        return Account.objects.none()
    return (
        Account.objects.filter(name__icontains=query.strip(), owner__isnull=False)
        .select_related("owner", "segment")
        .order_by("name")[:limit]
    )


@dataclass(frozen=True)
class SegmentLiaison:
    segment: Segment
    liaison: Person | None


def segment_liaisons() -> list[SegmentLiaison]:
    segments = Segment.objects.select_related("liaison").prefetch_related(
        Prefetch("people", queryset=Person.objects.filter(is_active=True))
    )
    return [SegmentLiaison(segment=s, liaison=s.liaison) for s in segments]
