"""Reads for the Targets page: the year's targets and the reverse waterfall of a period.

Only managers, the revenue leader and the admin read them: targets and the
commitments they turn into are set by the people who answer for them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied

from accord.directory.access import person_for_user
from accord.directory.models import Person
from accord.metrics import scorecard
from accord.metrics.definitions.revenue import month_add
from accord.metrics.models import Target
from accord.metrics.queries import PAGE_FIELDS, may_manage
from accord.metrics.targets import NoTargetError, target_total
from accord.metrics.waterfall import Waterfall, WaterfallError, waterfall_compute

NOT_FOR_YOU = "Targets are for sales and marketing managers, the revenue leader and the admin."
COMPANY = "Whole company"


def manager_for_user(user: AbstractBaseUser | AnonymousUser) -> Person:
    """The person behind ``user`` when they may see and set targets; 403 otherwise."""
    person = person_for_user(user)  # type: ignore[arg-type]
    if not may_manage(person):
        raise PermissionDenied(NOT_FOR_YOU)
    return person  # type: ignore[return-value]


@dataclass
class TargetRow:
    """One month and scope (a segment, or the whole company) with both targets."""

    month: date
    scope: str
    revenue: Decimal | None = None
    pipeline: Decimal | None = None


@dataclass
class YearTargets:
    year: int
    rows: list[TargetRow] = field(default_factory=list)


def targets_of_year(user: AbstractBaseUser | AnonymousUser, year: int) -> YearTargets:
    """The year's targets, a row per month and scope, the whole company first."""
    manager_for_user(user)
    found: dict[tuple[date, str], TargetRow] = {}
    targets = Target.objects.filter(month__year=year).select_related("segment")
    for target in targets:
        scope = target.segment.name if target.segment else COMPANY
        row = found.setdefault((target.month, scope), TargetRow(target.month, scope))
        setattr(row, target.measure, target.amount)
    order = sorted(found, key=lambda key: (key[0], key[1] != COMPANY, key[1]))
    return YearTargets(year, [found[key] for key in order])


@dataclass
class WaterfallView:
    """The reverse waterfall of one period and segment, or why there is none."""

    start: date
    end: date
    segment: str | None
    waterfall: Waterfall | None = None
    error: str = ""

    @property
    def last_month(self) -> date:
        return month_add(self.end, -1)


def waterfall_for_user(
    user: AbstractBaseUser | AnonymousUser,
    *,
    start: str | None,
    end: str | None,
    segment: str | None,
    today: date,
) -> WaterfallView:
    """The revenue target's waterfall for the chosen months and segment, on current data.

    Raises :class:`scorecard.PeriodError` for a bad month or segment; a
    missing target or too little history is reported in ``error``.
    """
    from accord.metrics import gateway, snapshot

    manager_for_user(user)
    first, after = scorecard.period_parse(start, end, today=today, fields=PAGE_FIELDS)
    chosen = scorecard.segment_check(segment, field=PAGE_FIELDS[2])
    view = WaterfallView(first, after, chosen)
    snapshot.snapshot_take()
    tables = gateway.source_for(None).tables
    try:
        target = target_total(tables, measure="revenue", start=first, end=after, segment=chosen)
        view.waterfall = waterfall_compute(
            tables, target=target, measure="revenue", start=first, end=after, segment=chosen
        )
    except (NoTargetError, WaterfallError) as exc:
        view.error = str(exc).strip('"')
    return view
