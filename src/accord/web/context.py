from __future__ import annotations

from django.http import HttpRequest

from accord.directory.access import person_for_user

NAV = (
    ("Home", "web:home"),
    ("Who to call", "directory:who_to_call"),
    ("Funnel", "funnel:queue"),
    ("Alignment survey", "diagnostic:rounds"),
    ("Playbook", "playbook:rules"),
    ("Meetings", "cadence:meetings"),
    ("Field feedback", "feedback:index"),
    ("Inbox", "inbox:index"),
)


def navigation(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": (), "me": None}
    return {"nav": NAV, "me": person_for_user(user)}
