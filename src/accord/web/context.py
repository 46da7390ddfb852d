from __future__ import annotations

from django.http import HttpRequest

from accord.directory.access import person_for_user
from accord.web.cockpit import can_see_cockpit

NAV = (
    ("Home", "web:home"),
    ("Who to call", "directory:who_to_call"),
    ("Funnel", "funnel:queue"),
    ("Metrics", "metrics:scorecard"),
    ("Alignment survey", "diagnostic:rounds"),
    ("Playbook", "playbook:rules"),
    ("Meetings", "cadence:meetings"),
    ("Field feedback", "feedback:index"),
    ("Import", "connectors:index"),
    ("Inbox", "inbox:index"),
)

# Only leaders see the cockpit; everyone else starts from their own home.
COCKPIT = ("Cockpit", "web:cockpit")


def navigation(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": (), "me": None}
    nav = (*NAV[:1], COCKPIT, *NAV[1:]) if can_see_cockpit(user) else NAV
    return {"nav": nav, "me": person_for_user(user)}
