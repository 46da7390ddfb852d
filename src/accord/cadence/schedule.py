"""Dates of a meeting series: when the next meeting falls, what period a meeting covers.

A meeting looks back at the data since the previous meeting of its series
(or one cadence interval for the first meeting). Periods run from midnight
UTC to midnight UTC, so the same meeting always covers the same records.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from accord.cadence.models import MONTHS_BETWEEN, Cadence, Meeting, MeetingSeries


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, or the month's last day when it is shorter."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def interval_after(series: MeetingSeries, day: date) -> date:
    return add_months(day, MONTHS_BETWEEN[Cadence(series.cadence)])


def interval_before(series: MeetingSeries, day: date) -> date:
    return add_months(day, -MONTHS_BETWEEN[Cadence(series.cadence)])


def next_meeting_on(meeting: Meeting) -> date:
    """The date of the series' next meeting if one is planned, else one interval on."""
    later = (
        Meeting.objects.filter(series_id=meeting.series_id, held_on__gt=meeting.held_on)
        .order_by("held_on")
        .values_list("held_on", flat=True)
        .first()
    )
    return later or interval_after(meeting.series, meeting.held_on)


def previous_meeting(meeting: Meeting) -> Meeting | None:
    return (
        Meeting.objects.filter(series_id=meeting.series_id, held_on__lt=meeting.held_on)
        .order_by("-held_on")
        .first()
    )


def midnight(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=UTC)


@dataclass(frozen=True)
class Period:
    """The stretch a meeting looks back on, and the equally long stretch before it."""

    since: datetime
    until: datetime

    @property
    def length(self) -> timedelta:
        return self.until - self.since

    @property
    def before(self) -> Period:
        return Period(self.since - self.length, self.since)


def meeting_period(meeting: Meeting) -> Period:
    earlier = previous_meeting(meeting)
    start = earlier.held_on if earlier else interval_before(meeting.series, meeting.held_on)
    return Period(midnight(start), midnight(meeting.held_on))
