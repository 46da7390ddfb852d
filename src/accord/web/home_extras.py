"""What each role's home adds from the other capabilities: field feedback for reps,
content requests and feedback themes for marketers, the next joint meeting for managers.

Each function reads through the owning app's own queries, so access rules and
anonymity hold here exactly as on that app's pages.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.cache import cache
from django.db.models import Count, Max, QuerySet
from django.utils import timezone

from accord.cadence.models import AgendaItem, Meeting
from accord.cadence.queries import meeting_agenda, meetings_for_user
from accord.feedback.digest import digest_for_user
from accord.feedback.models import Feedback
from accord.feedback.themes import Theme
from accord.playbook.models import ContentGap, GapStatus
from accord.playbook.queries import gaps

THEMES_SHOWN = 5
THEMES_SECONDS = 3600
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


def open_content_requests() -> QuerySet[ContentGap]:
    return gaps(status=GapStatus.OPEN).order_by("-pk")[:REQUESTS_SHOWN]
