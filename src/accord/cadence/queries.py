"""Reads for joint meetings, with the access rules checked where data is fetched.

- Managers of either side, revenue leaders and admins see every meeting and
  plan and edit them.
- Everyone else sees the meetings they take part in, and updates the action
  items they own.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from accord.cadence.models import AgendaItem, Meeting, MeetingActionItem, MeetingSeries
from accord.directory.access import person_for_user, sees_everything
from accord.directory.models import Person
from accord.directory.roles import MANAGER_ROLES, Role
from accord.inbox.models import ActionItem, ActionItemStatus

User = AbstractBaseUser | AnonymousUser
NOT_YOURS = "No such meeting, or you are not among its participants."


def can_plan(person: Person | None) -> bool:
    """Managers of either side (and leaders, admins) plan meetings and edit agendas."""
    return person is not None and (sees_everything(person) or Role(person.role) in MANAGER_ROLES)


def meetings_for_user(user: User) -> QuerySet[Meeting]:
    person = person_for_user(user)
    if person is None:
        return Meeting.objects.none()
    meetings = Meeting.objects.select_related("series")
    return meetings if can_plan(person) else meetings.filter(participants=person)


def meeting_get_for_user(user: User, meeting_id: int) -> Meeting:
    meeting = meetings_for_user(user).filter(pk=meeting_id).first()
    if meeting is None:
        raise Http404(NOT_YOURS)
    return meeting


def agenda_item_get_for_user(user: User, item_id: int) -> AgendaItem:
    item = AgendaItem.objects.filter(pk=item_id, meeting__in=meetings_for_user(user)).first()
    if item is None:
        raise Http404(NOT_YOURS)
    return item


def meeting_action_item_get_for_user(user: User, item_id: int) -> ActionItem:
    """An action item agreed in a meeting the person may see."""
    item = (
        ActionItem.objects.filter(pk=item_id, meeting_link__meeting__in=meetings_for_user(user))
        .select_related("owner", "meeting_link__meeting")
        .first()
    )
    if item is None:
        raise Http404(NOT_YOURS)
    return item


def can_update_item(person: Person | None, item: ActionItem) -> bool:
    return person is not None and (item.owner_id == person.pk or can_plan(person))


@dataclass(frozen=True)
class SeriesRow:
    series: MeetingSeries
    meetings: list[Meeting]


def meeting_list(user: User) -> list[SeriesRow]:
    """Each visible series with its meetings, newest first, with their open item counts."""
    open_items = Count(
        "action_links",
        filter=Q(action_links__action_item__status=ActionItemStatus.OPEN),
        distinct=True,
    )
    points = Count("agenda", distinct=True)
    meetings = meetings_for_user(user).annotate(open_items=open_items, points=points)
    rows: dict[int, SeriesRow] = {}
    for meeting in meetings.order_by("series__name", "-held_on"):
        rows.setdefault(meeting.series_id, SeriesRow(meeting.series, [])).meetings.append(meeting)
    return list(rows.values())


def series_all() -> QuerySet[MeetingSeries]:
    return MeetingSeries.objects.all()


def meeting_agenda(meeting: Meeting) -> QuerySet[AgendaItem]:
    links = MeetingActionItem.objects.select_related("action_item__owner")
    return meeting.agenda.prefetch_related(Prefetch("action_links", queryset=links)).order_by(
        "position", "id"
    )


def meeting_action_items(meeting: Meeting) -> QuerySet[ActionItem]:
    """The items agreed in this meeting: open ones first, then done, then cancelled."""
    return (
        ActionItem.objects.filter(meeting_link__meeting=meeting)
        .select_related("owner", "meeting_link__agenda_item")
        .order_by("-status", "due_on", "id")  # open, done, then cancelled
    )


def carried_action_items(meeting: Meeting) -> QuerySet[ActionItem]:
    """Items from earlier meetings of the series that are still open."""
    return (
        ActionItem.objects.filter(
            meeting_link__meeting__series_id=meeting.series_id,
            meeting_link__meeting__held_on__lt=meeting.held_on,
            status=ActionItemStatus.OPEN,
        )
        .select_related("owner", "meeting_link__meeting")
        .order_by("due_on", "id")
    )


def participants_by_side(meeting: Meeting) -> dict[str, list[Person]]:
    sides: dict[str, list[Person]] = {"sales": [], "marketing": [], "both": []}
    for person in meeting.participants.order_by("name"):
        sides[person.side].append(person)
    return sides


def eligible_participants() -> QuerySet[Person]:
    return Person.objects.filter(is_active=True).select_related("team").order_by("name")
