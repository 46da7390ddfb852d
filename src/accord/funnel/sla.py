"""SLA terms and deadlines: business hours in the owner's own calendar.

Deadlines are computed once, when a lead is assigned, and stored on the lead;
the sweeper (``services.sla_sweep``) only compares them with the clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Max

from accord.directory.models import Person, Segment
from accord.funnel.business_hours import add_business_hours
from accord.funnel.models import Holiday, SlaPolicy

DEFAULT_ACCEPT_HOURS = 4.0
DEFAULT_CONTACT_HOURS = 24.0
DEFAULT_WARN_MINUTES = 60


@dataclass(frozen=True)
class Terms:
    accept_hours: float = DEFAULT_ACCEPT_HOURS
    contact_hours: float = DEFAULT_CONTACT_HOURS
    warn_before: timedelta = timedelta(minutes=DEFAULT_WARN_MINUTES)
    reassign_on_breach: bool = False


@dataclass(frozen=True)
class Calendar:
    time_zone: str = "UTC"
    day_starts: time = time(9, 0)
    day_ends: time = time(17, 0)
    holidays: frozenset[date] = frozenset()


def _terms_from(policy: SlaPolicy) -> Terms:
    return Terms(
        policy.accept_hours,
        policy.contact_hours,
        timedelta(minutes=policy.warn_before_minutes),
        policy.reassign_on_breach,
    )


def sla_terms(segment: Segment | None) -> Terms:
    """The segment's own terms, else the default row, else 4 and 24 business hours."""
    if segment is not None:
        policy = SlaPolicy.objects.filter(segment=segment).first()
        if policy is not None:
            return _terms_from(policy)
    default = SlaPolicy.objects.filter(segment__isnull=True).order_by("pk").first()
    return _terms_from(default) if default is not None else Terms()


def longest_warning() -> timedelta:
    """How far ahead any policy warns: the sweeper looks no further."""
    stored = SlaPolicy.objects.aggregate(longest=Max("warn_before_minutes"))["longest"]
    return timedelta(minutes=max(stored or 0, DEFAULT_WARN_MINUTES))


def person_calendar(person: Person | None) -> Calendar:
    if person is None:
        return Calendar()
    holidays = (
        frozenset(Holiday.objects.filter(country=person.country).values_list("day", flat=True))
        if person.country
        else frozenset()
    )
    return Calendar(person.time_zone, person.work_starts, person.work_ends, holidays)


def deadline(start: datetime, hours: float, calendar: Calendar) -> datetime:
    return add_business_hours(
        start,
        hours,
        time_zone=calendar.time_zone,
        day_starts=calendar.day_starts,
        day_ends=calendar.day_ends,
        holidays=calendar.holidays,
    )


def sla_deadlines(
    *, start: datetime, owner: Person | None, segment: Segment | None
) -> tuple[datetime, datetime]:
    """When the owner must accept (or reject) and make first contact."""
    terms, calendar = sla_terms(segment), person_calendar(owner)
    return (
        deadline(start, terms.accept_hours, calendar),
        deadline(start, terms.contact_hours, calendar),
    )
