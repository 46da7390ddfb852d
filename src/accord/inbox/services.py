"""Writes for the inbox: notifications (in-app and e-mail) and action items."""

from __future__ import annotations

from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.core.mail import send_mail
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from accord.directory.models import Person
from accord.inbox.models import ActionItem, ActionItemStatus, Notification

ACTION_ITEM_NOT_OPEN = "This action item is already closed."


def notification_send(
    *,
    recipient: Person,
    title: str,
    body: str = "",
    link: str = "",
    kind: str = "info",
    dedupe_key: str | None = None,
    email: bool = True,
) -> Notification | None:
    """Put a notification in the person's inbox and e-mail it.

    With a ``dedupe_key`` the same notification is delivered at most once,
    so a sweeper or a retried task can call this freely.
    """
    try:
        with transaction.atomic():
            note = Notification.objects.create(
                recipient=recipient,
                kind=kind,
                title=title,
                body=body,
                link=link,
                dedupe_key=dedupe_key,
                created_at=timezone.now(),
            )
    except IntegrityError:
        return None
    if email and recipient.email:
        transaction.on_commit(
            lambda: send_mail(title, f"{body}\n\n{link}".strip(), None, [recipient.email])
        )
    return note


def notification_mark_read(*, recipient: Person, notification_id: int) -> int:
    return Notification.objects.filter(
        recipient=recipient, pk=notification_id, read_at__isnull=True
    ).update(read_at=timezone.now())


def action_item_create(
    *,
    title: str,
    owner: Person,
    due_on: date | None = None,
    description: str = "",
    created_by: Person | None = None,
    origin: models.Model | None = None,
    origin_label: str = "",
    notify: bool = True,
) -> ActionItem:
    item = ActionItem.objects.create(
        title=title,
        description=description,
        owner=owner,
        created_by=created_by,
        due_on=due_on,
        origin_label=origin_label,
        origin_type=ContentType.objects.get_for_model(origin) if origin is not None else None,
        origin_id=origin.pk if origin is not None else None,
        created_at=timezone.now(),
    )
    if notify:
        due = f" (due {due_on:%d %b %Y})" if due_on else ""
        notification_send(
            recipient=owner,
            kind="action_item",
            title=f"New action item: {title}{due}",
            body=description,
            link=f"/inbox/action-items/{item.pk}/",
        )
    return item


def action_item_close(*, item: ActionItem, status: str = ActionItemStatus.DONE) -> ActionItem:
    if status not in (ActionItemStatus.DONE, ActionItemStatus.CANCELLED):
        raise ValueError(f"An action item closes as done or cancelled, not {status!r}.")
    updated = ActionItem.objects.filter(pk=item.pk, status=ActionItemStatus.OPEN).update(
        status=status, completed_at=timezone.now()
    )
    if not updated:
        raise ValueError(ACTION_ITEM_NOT_OPEN)
    item.refresh_from_db()
    return item
