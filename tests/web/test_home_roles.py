"""Each role's home on the demo company: their own work first, then what the others feed them."""

from __future__ import annotations

from django.utils import timezone

from accord.cadence.models import Meeting
from accord.directory.models import Person
from accord.playbook.models import ContentGap, GapStatus
from tests.conftest import login


def _home(client, username: str) -> str:
    login(client, Person.objects.get(user__username=username))
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def test_each_role_sees_what_the_other_capabilities_bring_them(client, demo_small) -> None:
    rep = _home(client, "rep")
    assert "Heard something marketing should know?" in rep
    assert "/feedback/new/?about=opportunity%3A" in rep
    assert "What the field is hearing" not in rep

    marketer = _home(client, "marketer")
    assert "What the field asks marketing to write" in marketer
    newest_open = ContentGap.objects.filter(status=GapStatus.OPEN).order_by("-pk").first()
    if newest_open is not None:
        assert newest_open.title in marketer
    assert "What the field is hearing" in marketer
    assert "Heard something marketing should know?" not in marketer
    assert "My campaigns: spend against attributed won revenue" in marketer

    manager = _home(client, "sales-manager")
    upcoming = Meeting.objects.filter(held_on__gte=timezone.localdate()).order_by("held_on")
    assert "The next joint meeting" in manager
    if upcoming.exists():
        assert f"/meetings/{upcoming[0].pk}/" in manager
