"""The integration checklist as tracked work: each point has an owner and a status."""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from accord.diagnostic.context import INTEGRATION_CHECKLIST
from accord.diagnostic.models import ChecklistItem, ChecklistStatus
from accord.directory.models import Person

UNKNOWN_STATUS = "Choose a status: not started, in progress or done."
NOTE_TOO_LONG = "Keep the note under 300 characters."


def checklist_items() -> QuerySet[ChecklistItem]:
    """The shipped points, created on first use so an admin can later reword them."""
    known = set(ChecklistItem.objects.values_list("position", flat=True))
    missing = [
        ChecklistItem(position=i, text=text)
        for i, text in enumerate(INTEGRATION_CHECKLIST, start=1)
        if i not in known
    ]
    if missing:
        ChecklistItem.objects.bulk_create(missing, ignore_conflicts=True)
    return ChecklistItem.objects.select_related("owner")


def checklist_item_update(
    *, item: ChecklistItem, status: str, owner: Person | None, note: str, by: Person | None
) -> ChecklistItem:
    if status not in ChecklistStatus.values:
        raise ValueError(UNKNOWN_STATUS)
    if len(note) > 300:
        raise ValueError(NOTE_TOO_LONG)
    with transaction.atomic():
        item.status, item.owner, item.note = status, owner, note.strip()
        item.updated_at, item.updated_by = timezone.now(), by
        item.save()
    return item
