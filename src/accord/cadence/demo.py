"""Demo history: a year of monthly joint meetings and the next one planned.

Agendas are drafted from the demo company's own data by the real drafter;
each meeting agrees a few action items, most done by the next meeting, some
cancelled, a few left open so they carry over and turn overdue. Deterministic
for a given ``seed`` and ``as_of``: every timestamp derives from ``as_of``.
Field feedback themes are drafted for the latest meetings only: finding them
is a clustering run each time, and older agendas do without to keep the
build fast.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from accord.cadence import services
from accord.cadence.agenda import DRAFTERS, Drafter, feedback_themes
from accord.cadence.models import AgendaItem, AgendaKind, Meeting, MeetingActionItem, MeetingSeries
from accord.cadence.schedule import add_months, midnight
from accord.directory.models import Person
from accord.directory.roles import Role
from accord.inbox.models import ActionItem, ActionItemStatus

SERIES_NAME = "Monthly revenue meeting"
MONTHS = 12
THEMED_MEETINGS = 3  # the last past meetings and the next one draft feedback themes
# Big enough that only the largest demo deals reach the agenda.
DEMO_THRESHOLD = Decimal("250000")

ACTIONS = {
    AgendaKind.OPPORTUNITY: (
        "Bring a marketer to the next customer call",
        "Prepare a tailored case study",
        "Map the buying committee with the account's liaison",
    ),
    AgendaKind.STALLED_DEALS: ("Agree a next step with each owner of a stalled deal",),
    AgendaKind.SLA_BREACHES: ("Coach the reps with the most breaches on the accept clock",),
    AgendaKind.CONVERSION_DROP: ("Review a sample of last month's MQLs together for fit",),
    AgendaKind.IDLE_SPEND: ("Pause or rework the campaigns that produce no pipeline",),
    AgendaKind.OVERDUE: ("Close the overdue items or give each a new date",),
    AgendaKind.SURVEY: ("Choose one recommended move from the survey and give it an owner",),
    AgendaKind.FEEDBACK: ("Turn the largest feedback theme into a content brief",),
}
SUMMARIES = (
    "Both sides agreed the big deals need a marketer on each account team.",
    "Most of the time went to the SLA breaches; sales owns the fix.",
    "Spend without pipeline was the main topic; marketing will rebalance.",
    "A short meeting: the numbers held, the open items were the focus.",
)


def first_tuesday(year: int, month: int) -> date:
    day = date(year, month, 1)
    return day + timedelta(days=(1 - day.weekday()) % 7)


def meeting_days(as_of: datetime) -> list[date]:
    """The first Tuesday of the last twelve months that have had one, then the next."""
    today = as_of.date()
    latest = first_tuesday(today.year, today.month)
    if latest > today:
        back = add_months(today, -1)
        latest = first_tuesday(back.year, back.month)
    days = []
    for offset in range(-MONTHS + 1, 2):
        month = add_months(latest.replace(day=1), offset)
        days.append(first_tuesday(month.year, month.month))
    return days


def _cast() -> list[Person]:
    """Both managers of each side, the revenue leader, a rep and a marketer."""
    active = Person.objects.filter(is_active=True).order_by("pk")
    chosen: list[Person] = []
    for role, count in (
        (Role.SALES_MANAGER, 2),
        (Role.MARKETING_MANAGER, 1),
        (Role.REVENUE_LEADER, 1),
        (Role.LIAISON, 1),
        (Role.SALES_REP, 1),
        (Role.MARKETER, 1),
    ):
        chosen += list(active.filter(role=role)[:count])
    return chosen


def _fate(rng: random.Random, index: int) -> str:
    """The last two meetings' items are still open; older ones mostly done."""
    if index >= MONTHS - 2:
        return ActionItemStatus.OPEN
    draw = rng.random()
    if draw < 0.8:
        return ActionItemStatus.DONE
    return ActionItemStatus.CANCELLED if draw < 0.93 else ActionItemStatus.OPEN


def _agree(
    rng: random.Random, meeting: Meeting, index: int, people: list[Person], due: date
) -> None:
    """Agree action items on two to four of the points the data raised."""
    points = [p for p in meeting.agenda.order_by("position") if p.kind in ACTIONS]
    start = midnight(meeting.held_on) + timedelta(hours=10)
    origin_type = ContentType.objects.get_for_model(Meeting)
    chosen = rng.sample(points, min(len(points), rng.randint(2, 4)))
    items = []
    for point in chosen:
        title = rng.choice(ACTIONS[AgendaKind(point.kind)])
        if point.kind == AgendaKind.OPPORTUNITY:
            title = f"{title}: {point.title.split(' (')[0]}"[:200]
        status = _fate(rng, index)
        done_at = start + timedelta(days=rng.randint(3, 25)) if status != "open" else None
        point.notes = f"Agreed: {title}."
        items.append(
            ActionItem(
                title=title,
                owner=rng.choice(people),
                due_on=due,
                status=status,
                origin_label=f"Joint meeting: {meeting}",
                origin_type=origin_type,
                origin_id=meeting.pk,
                created_at=start,
                completed_at=done_at,
            )
        )
    ActionItem.objects.bulk_create(items)
    AgendaItem.objects.bulk_update(chosen, ["notes"])
    MeetingActionItem.objects.bulk_create(
        MeetingActionItem(action_item=item, meeting=meeting, agenda_item=point)
        for item, point in zip(items, chosen, strict=True)
    )


def _drafters(index: int) -> tuple[Drafter, ...]:
    """Every drafter for the last meetings; older ones skip the themes, a clustering each."""
    if index >= MONTHS - THEMED_MEETINGS:
        return DRAFTERS
    return tuple(d for d in DRAFTERS if d is not feedback_themes)


def cadence_demo_build(as_of: datetime, *, seed: int = 7) -> MeetingSeries | None:
    people = _cast()
    if services.sides_missing(people):
        return None
    rng = random.Random(seed * 7919 + 13)
    days = meeting_days(as_of)
    with transaction.atomic():
        # A rebuild replaces the demo series with its items (links alone would cascade).
        ActionItem.objects.filter(meeting_link__meeting__series__name=SERIES_NAME).delete()
        MeetingSeries.objects.filter(name=SERIES_NAME).delete()
        series = MeetingSeries.objects.create(
            name=SERIES_NAME,
            involvement_threshold=DEMO_THRESHOLD,
            created_at=midnight(days[0]) - timedelta(days=14),
        )
        for index, held_on in enumerate(days):
            meeting = Meeting.objects.create(
                series=series,
                held_on=held_on,
                summary=rng.choice(SUMMARIES) if index < MONTHS else "",
                created_at=midnight(held_on) - timedelta(days=7),
            )
            meeting.participants.set(people)
            services.agenda_generate(meeting=meeting, drafters=_drafters(index))
            drafted_at = midnight(held_on) - timedelta(days=1)
            meeting.agenda.update(created_at=drafted_at)
            Meeting.objects.filter(pk=meeting.pk).update(agenda_drafted_at=drafted_at)
            if index < MONTHS:
                _agree(rng, meeting, index, people, days[index + 1])
    return series
