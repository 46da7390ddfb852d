"""Owner and stage changes as CSV, for a CRM that is fed by file rather than webhook.

Read straight from the append-only lead event log, so it holds every change
whether or not the outbound webhook is switched on. Text cells pass through
``spreadsheet_safe``; a lead event id (``change_id``) lets an importer skip
rows it has already applied.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import datetime

from django.db.models import Q, QuerySet

from accord.crm.choices import LeadEventKind
from accord.crm.models import Lead, LeadEvent
from accord.directory.models import Person
from accord.spreadsheet import spreadsheet_safe

COLUMNS = (
    "change_id",
    "occurred_at",
    "lead_id",
    "lead_source",
    "lead_external_id",
    "change",
    "from_stage",
    "to_stage",
    "owner_id",
    "owner_name",
    "owner_email",
    "rule",
    "reason",
)
CHUNK = 2000


def lead_changes(leads: QuerySet[Lead], *, since: datetime | None) -> QuerySet[LeadEvent]:
    """Events that moved a lead to another stage or gave it another owner, oldest first."""
    moved = Q(to_stage__gt="") | Q(kind=LeadEventKind.ASSIGNED) | Q(data__has_key="owner")
    events = LeadEvent.objects.filter(moved, lead__in=leads)
    if since is not None:
        events = events.filter(occurred_at__gte=since)
    return events.select_related("lead").order_by("occurred_at", "pk")


def _row(event: LeadEvent, owners: dict[int, Person]) -> list[object]:
    owner_id = event.data.get("owner") if isinstance(event.data, dict) else None
    owner = owners.get(owner_id) if owner_id else None
    text = [
        event.lead.source,
        event.lead.external_id or "",
        event.kind,
        event.from_stage,
        event.to_stage or event.from_stage,
    ]
    return [
        event.pk,
        event.occurred_at.isoformat(),
        event.lead_id,
        *(spreadsheet_safe(t) for t in text),
        owner_id or "",
        spreadsheet_safe(owner.name) if owner else "",
        spreadsheet_safe(owner.email) if owner else "",
        spreadsheet_safe(event.rule),
        event.reason,
    ]


def lead_changes_csv(events: QuerySet[LeadEvent]) -> Iterator[str]:
    """The CSV text in pieces, a header first; streams without holding every row."""
    yield _line(COLUMNS)
    owners = {p.pk: p for p in Person.objects.all()}
    for event in events.iterator(chunk_size=CHUNK):
        yield _line(_row(event, owners))


def _line(cells: Iterable[object]) -> str:
    out = io.StringIO()
    csv.writer(out).writerow(cells)
    return out.getvalue()
