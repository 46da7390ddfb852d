"""Product launches timed with sales: a readiness checklist, then the announcement.

The announcement goes through the rules of engagement, so the shipped rule
(announce only when the checklist is complete) refuses it while a point is open.
"""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from accord.directory.models import Person
from accord.directory.roles import Role
from accord.inbox.services import notification_send
from accord.playbook.access import is_manager, is_marketing
from accord.playbook.engine import object_link, rules_fire, rules_guarded
from accord.playbook.models import Launch, LaunchChecklistItem, LaunchState

READINESS_POINTS = (
    "Reps trained on the pitch and the demo",
    "Battlecard and objection answers approved by sales",
    "Price list and discount rules shared with sales",
    "Sales collateral published in the library",
    "Lead routing and scoring updated for the new product",
)
MARKETING_ONLY = "Marketing or a manager plans and announces launches."
ALREADY_ANNOUNCED = "This launch is already announced; its checklist is closed."
NAME_NEEDED = "Give the launch a name."


class LaunchError(ValueError):
    pass


def launch_create(
    *,
    by: Person,
    name: str,
    planned_on: date,
    summary: str = "",
    points: tuple[str, ...] = READINESS_POINTS,
    at: datetime | None = None,
) -> Launch:
    if not (is_marketing(by) or is_manager(by)):
        raise LaunchError(MARKETING_ONLY)
    if not name.strip():
        raise LaunchError(NAME_NEEDED)
    with transaction.atomic():
        launch = Launch.objects.create(
            name=name.strip(),
            summary=summary,
            planned_on=planned_on,
            owner=by,
            created_at=at or timezone.now(),
        )
        LaunchChecklistItem.objects.bulk_create(
            LaunchChecklistItem(launch=launch, position=i, text=text)
            for i, text in enumerate(points, start=1)
        )
    return launch


def launch_point_set(
    *, point: LaunchChecklistItem, done: bool, by: Person, at: datetime | None = None
) -> LaunchChecklistItem:
    """Tick or untick one readiness point (anyone in sales or marketing may)."""
    if point.launch.state == LaunchState.ANNOUNCED:
        raise LaunchError(ALREADY_ANNOUNCED)
    point.done_at = (at or timezone.now()) if done else None
    point.done_by = by if done else None
    point.save(update_fields=["done_at", "done_by"])
    return point


def launch_announce(
    *, launch: Launch, by: Person, at: datetime | None = None, email: bool = True
) -> Launch:
    if not (is_marketing(by) or is_manager(by)):
        raise LaunchError(MARKETING_ONLY)
    with rules_guarded(by):
        locked = Launch.objects.select_for_update().get(pk=launch.pk)
        if locked.state == LaunchState.ANNOUNCED:
            return locked
        rules_fire(event="launch.announced", obj=locked, actor=by, at=at, email=email)
        locked.state, locked.announced_at = LaunchState.ANNOUNCED, at or timezone.now()
        locked.save(update_fields=["state", "announced_at"])
        for manager in Person.objects.filter(role=Role.SALES_MANAGER, is_active=True):
            notification_send(
                recipient=manager,
                kind="launch",
                title=f"Announced: {locked.name}"[:200],
                body="Sales readiness was confirmed point by point before the announcement.",
                link=object_link(locked),
                email=email,
            )
    launch.refresh_from_db()
    return locked
