"""One lead's way through the funnel, decided up front from a few truths.

The truths the analytics should find: fit drives acceptance; leads reached
within an hour qualify far more often than leads reached a day later (the
HBR finding); a few reps are slow; rejected leads carry a reason.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from accord.crm.choices import LeadEventKind, LeadStage, RejectionReason
from accord.funnel.business_hours import add_business_hours

REJECTION_WEIGHTS = {
    RejectionReason.NOT_A_FIT: 30,
    RejectionReason.BAD_TIMING: 20,
    RejectionReason.UNREACHABLE: 15,
    RejectionReason.NO_BUDGET: 12,
    RejectionReason.DUPLICATE: 8,
    RejectionReason.STUDENT: 5,
    RejectionReason.COMPETITOR: 4,
    RejectionReason.NO_AUTHORITY: 4,
    RejectionReason.OTHER: 2,
}
ACCEPT_HOURS, CONTACT_HOURS = 4, 24


@dataclass
class Event:
    at: datetime
    kind: str
    from_stage: str = ""
    to_stage: str = ""
    actor_id: int | None = None
    rule: str = ""
    reason: str = ""
    note: str = ""


@dataclass
class Story:
    created_at: datetime
    stage: str = LeadStage.INQUIRY
    owner_id: int | None = None
    mql_at: datetime | None = None
    sal_at: datetime | None = None
    sql_at: datetime | None = None
    opportunity_at: datetime | None = None
    recycled_at: datetime | None = None
    disqualified_at: datetime | None = None
    assigned_at: datetime | None = None
    accept_due_at: datetime | None = None
    contact_due_at: datetime | None = None
    first_contact_at: datetime | None = None
    rejection_reason: str = ""
    wants_opportunity: bool = False
    events: list[Event] = field(default_factory=list)

    def move(
        self, at: datetime, to: str, kind: str = LeadEventKind.STAGE_CHANGED, **kw: object
    ) -> None:
        self.events.append(Event(at, kind, self.stage, to, **kw))  # type: ignore[arg-type]
        self.stage = to


@dataclass(frozen=True)
class Rep:
    pk: int
    time_zone: str
    slow: bool


def _lognormal_hours(rng: random.Random, median: float, sigma: float) -> timedelta:
    return timedelta(hours=median * math.exp(rng.gauss(0, sigma)))


def story_tell(
    rng: random.Random,
    *,
    created_at: datetime,
    fit: float,
    rep: Rep,
    as_of: datetime,
    can_open: bool = True,
) -> Story:
    """Decide the lead's path; events after ``as_of`` have not happened yet."""
    story = Story(created_at=created_at)
    story.events.append(Event(created_at, LeadEventKind.CREATED, "", LeadStage.INQUIRY))
    if rng.random() > 0.22 + 0.3 * fit:
        return story
    mql_at = created_at + timedelta(hours=rng.uniform(0.1, 24 * 8))
    if mql_at > as_of:
        return story
    story.mql_at = mql_at
    story.move(mql_at, LeadStage.MQL, rule="Score reached the MQL threshold")
    story.owner_id, story.assigned_at = rep.pk, mql_at
    story.events.append(Event(mql_at, LeadEventKind.ASSIGNED, actor_id=None, rule="Routing"))
    story.accept_due_at = add_business_hours(mql_at, ACCEPT_HOURS, time_zone=rep.time_zone)
    story.contact_due_at = add_business_hours(mql_at, CONTACT_HOURS, time_zone=rep.time_zone)
    _work(rng, story, fit=fit, rep=rep, as_of=as_of, can_open=can_open)
    _breaches(story, rep=rep, as_of=as_of)
    return story


def _work(
    rng: random.Random, story: Story, *, fit: float, rep: Rep, as_of: datetime, can_open: bool
) -> None:
    assert story.mql_at is not None
    if rng.random() < (0.07 if rep.slow else 0.01):
        return  # never worked: the MQL sits untouched
    delay = _lognormal_hours(rng, 26.0 if rep.slow else 0.9, 1.0)
    decided = story.mql_at + delay
    if decided > as_of:
        return
    if rng.random() < 0.18 + 0.3 * (1 - fit):
        reason = rng.choices(list(REJECTION_WEIGHTS), weights=REJECTION_WEIGHTS.values())[0]
        story.rejection_reason = reason
        note = "Asked to be called next quarter." if reason == RejectionReason.OTHER else ""
        story.events.append(
            Event(
                decided,
                LeadEventKind.REJECTED,
                story.stage,
                story.stage,
                rep.pk,
                reason=reason,
                note=note,
            )
        )
        story.recycled_at = decided
        story.move(
            decided,
            LeadStage.RECYCLED,
            LeadEventKind.RECYCLED,
            actor_id=rep.pk,
            reason=reason,
            rule="Rejected leads return to nurture",
        )
        return
    story.sal_at = decided
    story.move(decided, LeadStage.SAL, LeadEventKind.ACCEPTED, actor_id=rep.pk)
    contacted = decided + _lognormal_hours(rng, 0.3, 0.8)
    if contacted > as_of:
        return
    story.first_contact_at = contacted
    story.events.append(Event(contacted, LeadEventKind.CONTACTED, actor_id=rep.pk))
    _qualify(rng, story, fit=fit, rep=rep, as_of=as_of, can_open=can_open)


def _speed_factor(story: Story) -> float:
    assert story.first_contact_at is not None and story.mql_at is not None
    hours = (story.first_contact_at - story.mql_at).total_seconds() / 3600
    if hours <= 1:
        return 1.7
    if hours <= 24:
        return 1.0
    return 0.5


def _qualify(
    rng: random.Random, story: Story, *, fit: float, rep: Rep, as_of: datetime, can_open: bool
) -> None:
    assert story.first_contact_at is not None
    decided = story.first_contact_at + timedelta(days=rng.uniform(2, 20))
    if decided > as_of:
        return
    if rng.random() > min(0.95, 0.32 * _speed_factor(story) * (0.6 + fit)):
        story.disqualified_at = decided
        story.move(
            decided,
            LeadStage.DISQUALIFIED,
            LeadEventKind.DISQUALIFIED,
            actor_id=rep.pk,
            reason=rng.choice(
                (RejectionReason.NO_BUDGET, RejectionReason.BAD_TIMING, RejectionReason.COMPETITOR)
            ),
        )
        return
    story.sql_at = decided
    story.move(decided, LeadStage.SQL, actor_id=rep.pk)
    opened = decided + timedelta(days=rng.uniform(1, 10))
    if can_open and opened <= as_of and rng.random() < 0.62:
        story.opportunity_at = opened
        story.wants_opportunity = True
        story.move(opened, LeadStage.OPPORTUNITY, actor_id=rep.pk)


def _breaches(story: Story, *, rep: Rep, as_of: datetime) -> None:
    for clock, due, done in (
        ("accept", story.accept_due_at, story.sal_at or story.recycled_at),
        ("first_contact", story.contact_due_at, story.first_contact_at or story.recycled_at),
    ):
        if due is not None and due <= as_of and (done is None or done > due):
            story.events.append(
                Event(
                    due,
                    LeadEventKind.SLA_BREACH,
                    rule=f"SLA: {clock}",
                    note=f"{clock.replace('_', ' ')} deadline passed",
                )
            )
    story.events.sort(key=lambda e: e.at)
