"""Owner and stage changes back to the CRM: a signed webhook fed from an outbox.

Every move that changes a lead's stage or owner writes a ``CrmUpdate`` row in
the same transaction as its lead event (``crm_update_record``), so a change
that happened is always waiting to be told. ``crm_updates_deliver`` posts the
due rows, oldest first and in order per lead, each signed with HMAC-SHA256
under ``ACCORD_CRM_WEBHOOK_SECRET`` and carrying its ``event_id``:

- a 2xx answer marks the row delivered; it is never sent again;
- anything else (refused, timed out, 5xx) counts an attempt and waits
  ``30 s x 2^(attempts-1)``, at most an hour, before the next try — forever,
  so nothing is dropped;
- a row is claimed for a minute before it is sent, so two workers never post
  the same change at once. A worker that dies after the CRM answered but
  before it wrote ``delivered_at`` leaves the row to be sent again after the
  claim runs out: the receiver drops an ``event_id`` it has already seen.

With no ``ACCORD_CRM_WEBHOOK_URL`` nothing is written or sent (the CSV export
of the lead event log still covers every change).
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from accord.api.webhook import signature_make
from accord.conf import env_str
from accord.crm.models import Lead, LeadEvent
from accord.directory.models import Person
from accord.funnel.models import CrmUpdate

SIGNATURE_HEADER = "X-Accord-Signature"
EVENT_ID_HEADER = "X-Accord-Event-Id"
ATTEMPT_HEADER = "X-Accord-Attempt"
FIRST_WAIT = timedelta(seconds=30)
LONGEST_WAIT = timedelta(hours=1)
CLAIM_FOR = timedelta(minutes=1)
SEND_TIMEOUT_SECONDS = 10.0
BATCH = 200
NO_SECRET = "Not sent: set ACCORD_CRM_WEBHOOK_SECRET so the CRM can check the signature."


@dataclass(frozen=True)
class Target:
    url: str
    secret: str

    @property
    def host(self) -> str:
        """For pages: the address without any credentials or path it may carry."""
        return urlsplit(self.url).hostname or "?"


NOT_HTTP = "ACCORD_CRM_WEBHOOK_URL must be an http:// or https:// address, not {url!r}."


def crm_target() -> Target | None:
    """Where changes go; read at each use so a new setting needs no restart of the task."""
    url = env_str("ACCORD_CRM_WEBHOOK_URL", "")
    if url and not url.lower().startswith(("http://", "https://")):
        raise ImproperlyConfigured(NOT_HTTP.format(url=url))
    return Target(url, env_str("ACCORD_CRM_WEBHOOK_SECRET", "")) if url else None


def _person(person: Person | None) -> dict[str, object] | None:
    if person is None:
        return None
    return {"id": person.pk, "name": person.name, "email": person.email}


def crm_update_record(
    *, event: LeadEvent, lead: Lead, owner: Person | None, owner_changed: bool
) -> CrmUpdate | None:
    """Queue the change ``event`` made to ``lead``; call inside the move's transaction.

    ``lead`` is the row as it was before the move. The payload names the lead
    by Accord id and source id and the owner by name and e-mail (a colleague,
    not the buyer), so erasing a buyer never needs to touch the outbox.
    """
    if crm_target() is None or not (event.to_stage or owner_changed):
        return None
    payload = {
        "type": "lead.owner_changed" if not event.to_stage else "lead.stage_changed",
        "occurred_at": event.occurred_at.isoformat(),
        "change": event.kind,
        "lead": {"id": lead.pk, "source": lead.source, "external_id": lead.external_id},
        "from_stage": event.from_stage,
        "to_stage": event.to_stage or event.from_stage,
        "owner": _person(owner),
        "owner_changed": owner_changed,
        "previous_owner_id": lead.owner_id,
        "rule": event.rule,
        "reason": event.reason,
    }
    update = CrmUpdate(
        lead_id=lead.pk,
        lead_event=event,
        payload=payload,
        created_at=event.occurred_at,
        next_attempt_at=timezone.now(),
    )
    update.payload["event_id"] = str(update.event_id)
    update.save(force_insert=True)
    transaction.on_commit(_deliver_soon)
    return update


def _deliver_soon() -> None:
    from accord.funnel.tasks import crm_updates_deliver

    crm_updates_deliver.enqueue()


def backoff(attempts: int) -> timedelta:
    """The wait after the ``attempts``-th failure: 30 s, 1 min, 2 min, … at most 1 h."""
    return min(FIRST_WAIT * 2 ** max(0, attempts - 1), LONGEST_WAIT)


def _due(now: datetime) -> QuerySet[CrmUpdate]:
    """Undelivered rows whose time has come and that have no older undelivered twin."""
    older_waiting = CrmUpdate.objects.filter(
        lead_id=OuterRef("lead_id"), delivered_at__isnull=True, pk__lt=OuterRef("pk")
    )
    return (
        CrmUpdate.objects.filter(delivered_at__isnull=True, next_attempt_at__lte=now)
        .exclude(claimed_until__gt=now)
        .exclude(Exists(older_waiting))
        .order_by("pk")
    )


def _claim(update: CrmUpdate, now: datetime) -> bool:
    free = CrmUpdate.objects.filter(pk=update.pk, delivered_at__isnull=True).exclude(
        claimed_until__gt=now
    )
    return free.update(claimed_until=now + CLAIM_FOR) == 1


def signed_request(target: Target, update: CrmUpdate, *, now: float) -> urllib.request.Request:
    body = json.dumps(update.payload, sort_keys=True).encode()
    headers = {
        "Content-Type": "application/json",
        SIGNATURE_HEADER: signature_make(secret=target.secret, timestamp=int(now), body=body),
        EVENT_ID_HEADER: str(update.event_id),
        ATTEMPT_HEADER: str(update.attempts + 1),
        "User-Agent": "Accord CRM sync",
    }
    return urllib.request.Request(target.url, data=body, headers=headers, method="POST")


def _send(target: Target, update: CrmUpdate) -> str:
    """Post one update; an empty string means the CRM took it, else what went wrong."""
    if not target.secret:
        return NO_SECRET  # an unsigned post would let anyone forge changes to the CRM
    request = signed_request(target, update, now=time.time())
    try:
        with urllib.request.urlopen(request, timeout=SEND_TIMEOUT_SECONDS) as response:
            response.read()
            return "" if 200 <= response.status < 300 else f"HTTP {response.status}"
    except urllib.error.HTTPError as exc:
        return f"HTTP {exc.code}"
    except urllib.error.URLError as exc:  # refused, unknown host
        return f"Could not reach the CRM: {exc.reason}"[:300]
    except (OSError, ValueError) as exc:  # timed out, bad URL
        return f"Could not reach the CRM: {exc}"[:300]


def _settle(update: CrmUpdate, error: str, now: datetime) -> None:
    rows = CrmUpdate.objects.filter(pk=update.pk, delivered_at__isnull=True)
    attempts = update.attempts + 1
    if not error:
        rows.update(delivered_at=now, attempts=attempts, claimed_until=None, last_error="")
        return
    rows.update(
        attempts=attempts,
        claimed_until=None,
        last_error=error,
        next_attempt_at=now + backoff(attempts),
    )


@dataclass(frozen=True)
class DeliveryRun:
    delivered: int
    failed: int
    next_due: datetime | None


def crm_updates_deliver(*, now: datetime | None = None) -> DeliveryRun:
    """Send what is due; stop at the first failure (the CRM is probably down).

    Passes repeat while they deliver something, so a lead's later change goes
    out in the same run once its earlier one has been taken.
    """
    target = crm_target()
    if target is None:
        return DeliveryRun(0, 0, None)
    now = now or timezone.now()
    delivered = 0
    while batch := list(_due(now)[:BATCH]):
        sent, failed = _deliver_batch(target, batch, now)
        delivered += sent
        if failed or not sent:
            return DeliveryRun(delivered, failed, next_due())
    return DeliveryRun(delivered, 0, next_due())


def _deliver_batch(target: Target, batch: list[CrmUpdate], now: datetime) -> tuple[int, int]:
    sent = 0
    for update in batch:
        if not _claim(update, now):
            continue  # another worker has it
        error = _send(target, update)
        _settle(update, error, now)
        if error:
            return sent, 1
        sent += 1
    return sent, 0


def next_due() -> datetime | None:
    waiting = CrmUpdate.objects.filter(delivered_at__isnull=True).order_by("next_attempt_at")
    return waiting.values_list("next_attempt_at", flat=True).first()
