"""What each role's home adds from the other capabilities: field feedback for reps,
content requests and feedback themes for marketers, the next joint meeting for managers.

Each function reads through the owning app's own queries, so access rules and
anonymity hold here exactly as on that app's pages.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.cache import cache
from django.db.models import Count, Max, QuerySet
from django.utils import timezone

from accord.cadence.models import AgendaItem, Meeting
from accord.cadence.queries import meeting_agenda, meetings_for_user
from accord.crm.models import Campaign
from accord.directory.models import Person
from accord.feedback.digest import digest_for_user
from accord.feedback.models import Feedback
from accord.feedback.themes import Theme
from accord.metrics.definitions.roi import roi_compute
from accord.metrics.registry import MetricQuery
from accord.playbook.models import ContentGap, GapStatus
from accord.playbook.queries import gaps
from accord.web.board import Board
from accord.web.filters import Filters

THEMES_SHOWN = 5
THEMES_SECONDS = 3600
HOME_MODELS = ("position", "markov")
REQUESTS_SHOWN = 8
PROBLEM_KINDS = ("sla_breaches", "conversion_drop", "stalled_deals", "idle_spend", "overdue")


@dataclass
class NextMeeting:
    meeting: Meeting
    agenda: list[AgendaItem]

    @property
    def problems(self) -> list[AgendaItem]:
        return [item for item in self.agenda if item.kind in PROBLEM_KINDS]


def next_meeting_for_user(user: User) -> NextMeeting | None:
    """The next joint meeting this person can see, with its agenda as it stands."""
    meeting = (
        meetings_for_user(user)
        .filter(held_on__gte=timezone.localdate())
        .select_related("series")
        .order_by("held_on", "pk")
        .first()
    )
    if meeting is None:
        return None
    return NextMeeting(meeting=meeting, agenda=list(meeting_agenda(meeting)))


def themes_for_user(user: User) -> list[Theme]:
    """The latest month's field-feedback themes, from the digest the person may read.

    Finding themes clusters the month's notes; the result is kept until a note
    is added, so the home page does not redo it on every visit.
    """
    notes = Feedback.objects.aggregate(n=Count("pk"), last=Max("pk"))
    key = f"home-themes:{user.pk}:{notes['n']}:{notes['last']}"
    themes = cache.get(key)
    if themes is None:
        themes = digest_for_user(user).themes[:THEMES_SHOWN]
        cache.set(key, themes, timeout=THEMES_SECONDS)
    return themes


@dataclass(frozen=True)
class CampaignReturn:
    name: str
    spend: float
    revenue: dict[str, float]

    def roi(self, model: str) -> float | None:
        return self.revenue.get(model, 0.0) / self.spend if self.spend else None

    @property
    def roi_position(self) -> float | None:
        return self.roi("position")


def campaign_returns(person: Person, filters: Filters) -> list[CampaignReturn]:
    """Spend and attributed won revenue of the person's campaigns over the filters' period.

    The attribution runs once per data version for all campaigns (kept in the
    cache); each marketer then reads their own rows.
    """
    board = Board(filters)
    key = (
        "campaign-roi:"
        + hashlib.sha256(
            f"{board.source.data_version}|{filters.query_string()}".encode()
        ).hexdigest()
    )
    roi = cache.get(key)
    if roi is None:
        query = MetricQuery(start=filters.first, end=filters.end, segment=board.segment)
        roi = roi_compute(board.source.tables, query, by="campaign", models=HOME_MODELS)
        cache.set(key, roi, timeout=THEMES_SECONDS * 6)
    mine = {str(pk) for pk in Campaign.objects.filter(owner=person).values_list("pk", flat=True)}
    return [
        CampaignReturn(row.label, row.spend, row.revenue) for row in roi.rows if row.key in mine
    ]


def open_content_requests() -> QuerySet[ContentGap]:
    return gaps(status=GapStatus.OPEN).order_by("-pk")[:REQUESTS_SHOWN]
