from __future__ import annotations

from django.test import Client

from accord.diagnostic.context import INTEGRATION_CHECKLIST
from accord.diagnostic.models import ChecklistItem
from tests.conftest import Cast, login


def _post(client: Client, url: str, data: dict[str, str]):
    client.get("/diagnostic/checklist/")
    return client.post(url, {**data, "csrfmiddlewaretoken": client.cookies["csrftoken"].value})


def test_the_checklist_lists_every_point_once(cast: Cast, client: Client) -> None:
    login(client, cast.cro)
    html = client.get("/diagnostic/checklist/").content.decode()
    client.get("/diagnostic/checklist/")
    assert ChecklistItem.objects.count() == len(INTEGRATION_CHECKLIST)
    assert f"0 of {len(INTEGRATION_CHECKLIST)} done" in html
    assert INTEGRATION_CHECKLIST[0] in html


def test_a_manager_sets_owner_and_status(cast: Cast) -> None:
    client = Client(enforce_csrf_checks=True)
    login(client, cast.marketing_manager)
    client.get("/diagnostic/checklist/")
    item = ChecklistItem.objects.get(position=1)
    response = _post(
        client,
        f"/diagnostic/checklist/{item.pk}",
        {"status": "in_progress", "owner": str(cast.cro.pk), "note": "Q1 reorg"},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.owner, item.note) == ("in_progress", cast.cro, "Q1 reorg")
    assert item.updated_by == cast.marketing_manager
    html = client.get("/diagnostic/checklist/").content.decode()
    assert "by Marketing Manager" in html


def test_a_bad_status_changes_nothing_and_says_why(cast: Cast, client: Client) -> None:
    login(client, cast.cro)
    client.get("/diagnostic/checklist/")
    item = ChecklistItem.objects.get(position=2)
    response = client.post(f"/diagnostic/checklist/{item.pk}", {"status": "finished"}, follow=True)
    assert "Choose a status" in response.content.decode()
    item.refresh_from_db()
    assert item.status == "not_started" and item.updated_at is None


def test_without_csrf_token_nothing_is_saved(cast: Cast) -> None:
    client = Client(enforce_csrf_checks=True)
    login(client, cast.cro)
    client.get("/diagnostic/checklist/")
    item = ChecklistItem.objects.get(position=3)
    response = client.post(f"/diagnostic/checklist/{item.pk}", {"status": "done"})
    assert response.status_code == 403
    item.refresh_from_db()
    assert item.status == "not_started"


def test_reps_cannot_see_or_change_it(cast: Cast, client: Client) -> None:
    login(client, cast.rep)
    assert client.get("/diagnostic/checklist/").status_code == 403
    assert client.post("/diagnostic/checklist/1", {"status": "done"}).status_code == 403
