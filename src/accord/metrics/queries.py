"""Reads for the metric pages: the scorecard a person may see, and the definitions."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied

from accord.directory.access import person_for_user
from accord.directory.models import Person, Segment
from accord.directory.roles import MANAGER_ROLES, Role
from accord.metrics import scorecard, snapshot
from accord.metrics.registry import MetricQuery
from accord.metrics.signoff import DefinitionRow, definition_rows

NO_PERSON = "The scorecard is for people in the directory; ask an admin to add you."
DATA_TABLES = ("leads", "opportunities", "spend")
PAGE_FIELDS = ("From", "To", "Segment")


@dataclass
class ScorecardLine:
    """A scorecard entry with the definition in force written beside it."""

    entry: scorecard.Entry
    definition: DefinitionRow


@dataclass
class ScorecardPage:
    query: MetricQuery | None
    lines: list[ScorecardLine] = field(default_factory=list)
    error: str = ""
    data_time: datetime | None = None
    has_data: bool = False
    segments: list[str] = field(default_factory=list)
    may_refresh: bool = False

    @property
    def last_month(self) -> date | None:
        """The first day of the period's last month (the period's end is exclusive)."""
        if self.query is None:
            return None
        return (self.query.end - timedelta(days=1)).replace(day=1)


def may_manage(person: Person | None) -> bool:
    return person is not None and (
        Role(person.role) in MANAGER_ROLES or Role(person.role) == Role.ADMIN
    )


def scorecard_for_user(
    user: AbstractBaseUser | AnonymousUser,
    *,
    start: str | None,
    end: str | None,
    segment: str | None,
    today: date,
) -> ScorecardPage:
    """The shared scorecard for the chosen months and segment; every person may read it.

    It holds company aggregates only, never a lead or a person, which is why
    it is open to both sides: shared numbers are the point.
    """
    person = person_for_user(user)  # type: ignore[arg-type]
    if person is None:
        raise PermissionDenied(NO_PERSON)
    page = ScorecardPage(
        query=None,
        segments=list(Segment.objects.values_list("name", flat=True)),
        may_refresh=may_manage(person),
    )
    try:
        first, after = scorecard.period_parse(
            start or None, end or None, today=today, fields=PAGE_FIELDS
        )
        chosen = scorecard.segment_check(segment, field=PAGE_FIELDS[2])
    except scorecard.PeriodError as exc:
        page.error = str(exc)
        return page
    page.query = MetricQuery(first, after, segment=chosen)
    definitions = {row.metric.key: row for row in definition_rows()}
    entries = scorecard.scorecard_compute(page.query)
    page.lines = [ScorecardLine(e, definitions[e.metric.key]) for e in entries]
    current = snapshot.snapshot_current()
    if current is not None:
        page.data_time = current.taken_at
        page.has_data = any(current.rows.get(name, 0) for name in DATA_TABLES)
    return page
