from __future__ import annotations

from datetime import date

import pytest
from django.core import mail
from django.test import Client

from accord.inbox import services
from accord.inbox.models import ActionItem, ActionItemStatus, Notification
from tests.conftest import Cast, login


def test_notification_lands_in_inbox_and_email(
    cast: Cast, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.notification_send(recipient=cast.rep, title="Hello", body="Body", link="/x")
    assert Notification.objects.filter(recipient=cast.rep, title="Hello").count() == 1
    assert [m.to for m in mail.outbox] == [[cast.rep.email]]


def test_dedupe_key_delivers_once(cast: Cast) -> None:
    first = services.notification_send(recipient=cast.rep, title="Breach", dedupe_key="lead-1")
    again = services.notification_send(recipient=cast.rep, title="Breach", dedupe_key="lead-1")
    assert first is not None and again is None
    assert Notification.objects.filter(recipient=cast.rep).count() == 1


def test_action_item_notifies_its_owner(cast: Cast) -> None:
    item = services.action_item_create(
        title="Fix SLA",
        owner=cast.rep,
        due_on=date(2026, 12, 1),
        created_by=cast.sales_manager,
        origin=cast.sales_team,
        origin_label="Joint meeting",
    )
    assert item.origin == cast.sales_team
    note = Notification.objects.get(recipient=cast.rep)
    assert "Fix SLA" in note.title and "01 Dec 2026" in note.title


def test_closing_twice_is_refused(cast: Cast) -> None:
    item = services.action_item_create(title="Once", owner=cast.rep, notify=False)
    services.action_item_close(item=item)
    with pytest.raises(ValueError, match="already closed"):
        services.action_item_close(item=item)
    with pytest.raises(ValueError, match="done or cancelled"):
        services.action_item_close(item=item, status="open")


def _csrf_post(client: Client, page: str, url: str, data: dict[str, str]):
    client.get(page)
    token = client.cookies["csrftoken"].value
    return client.post(url, {**data, "csrfmiddlewaretoken": token})


def test_owner_closes_an_item_from_the_inbox(cast: Cast) -> None:
    item = services.action_item_create(title="Do it", owner=cast.rep, notify=False)
    client = Client(enforce_csrf_checks=True)
    login(client, cast.rep)
    response = _csrf_post(client, "/inbox/", f"/inbox/action-items/{item.pk}/close", {})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == ActionItemStatus.DONE and item.completed_at is not None


def test_post_without_csrf_token_is_refused(cast: Cast) -> None:
    item = services.action_item_create(title="Do it", owner=cast.rep, notify=False)
    client = Client(enforce_csrf_checks=True)
    login(client, cast.rep)
    assert client.post(f"/inbox/action-items/{item.pk}/close").status_code == 403
    item.refresh_from_db()
    assert item.status == ActionItemStatus.OPEN


def test_others_cannot_see_or_close_my_item(cast: Cast, client) -> None:
    item = services.action_item_create(title="Mine", owner=cast.rep, notify=False)
    login(client, cast.other_rep)
    assert client.get(f"/inbox/action-items/{item.pk}/").status_code == 404
    assert client.post(f"/inbox/action-items/{item.pk}/close").status_code == 404
    login(client, cast.sales_manager)  # the rep's manager sees it but does not close it
    assert client.get(f"/inbox/action-items/{item.pk}/").status_code == 200
    assert client.post(f"/inbox/action-items/{item.pk}/close").status_code == 404
    assert ActionItem.objects.get(pk=item.pk).is_open


def test_htmx_close_returns_the_row(cast: Cast, client) -> None:
    item = services.action_item_create(title="Row", owner=cast.rep, notify=False)
    login(client, cast.rep)
    response = client.post(f"/inbox/action-items/{item.pk}/close", headers={"HX-Request": "true"})
    html = response.content.decode()
    assert f'id="item-{item.pk}"' in html and "Done" in html and "<html" not in html
