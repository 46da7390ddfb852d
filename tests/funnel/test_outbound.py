"""Owner and stage changes reach the CRM: signed, once per event id, never lost.

The receiver is a real HTTP server on a loopback port, run in a thread by the
test; it can refuse a number of deliveries (503) and then recover, or be
missing altogether (connection refused) and start later.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import time_machine
from django.db import transaction

from accord.api.webhook import signature_valid
from accord.crm.choices import LeadStage, RejectionReason
from accord.funnel import outbound, services
from accord.funnel.models import CrmUpdate
from tests.conftest import AS_OF

SECRET = "crm-test-secret"


@dataclass
class Receiver:
    """What the CRM saw, and how many of the next deliveries it refuses."""

    refuse_next: int = 0
    seen: list[tuple[dict[str, str], bytes, int]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}/crm/hook"

    def accepted(self) -> list[dict]:
        return [json.loads(body) for _, body, status in self.seen if status == 200]


def _handler(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            with receiver.lock:
                status = 503 if receiver.refuse_next > 0 else 200
                receiver.refuse_next -= status == 503
                receiver.seen.append((dict(self.headers), body, status))
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    return Handler


def _serve(receiver: Receiver, port: int = 0) -> threading.Thread:
    receiver.server = ThreadingHTTPServer(("127.0.0.1", port), _handler(receiver))
    thread = threading.Thread(target=receiver.server.serve_forever, daemon=True)
    thread.start()
    return thread


@pytest.fixture
def receiver(monkeypatch) -> Iterator[Receiver]:
    made = Receiver()
    thread = _serve(made)
    monkeypatch.setenv("ACCORD_CRM_WEBHOOK_URL", made.url)
    monkeypatch.setenv("ACCORD_CRM_WEBHOOK_SECRET", SECRET)
    yield made
    assert made.server is not None
    made.server.shutdown()
    made.server.server_close()
    thread.join(timeout=5)


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(AS_OF, tick=False) as traveller:
        yield traveller


def test_an_accept_is_signed_and_delivered_once(cast, make_lead, receiver) -> None:
    lead = make_lead()  # an unowned MQL: accepting it changes stage and owner
    services.lead_accept(lead=lead, by=cast.rep)
    update = CrmUpdate.objects.get()
    assert update.lead_event.lead_id == lead.pk and update.delivered_at is None

    run = outbound.crm_updates_deliver()
    assert (run.delivered, run.failed, run.next_due) == (1, 0, None)
    [(headers, body, status)] = receiver.seen
    assert status == 200
    now = time.time()
    assert signature_valid(secret=SECRET, header=headers["X-Accord-Signature"], body=body, now=now)
    assert not signature_valid(
        secret="not-the-secret", header=headers["X-Accord-Signature"], body=body, now=now
    )
    payload = json.loads(body)
    assert headers["X-Accord-Event-Id"] == payload["event_id"] == str(update.event_id)
    assert headers["X-Accord-Attempt"] == "1"
    assert payload["type"] == "lead.stage_changed" and payload["change"] == "accepted"
    assert (payload["from_stage"], payload["to_stage"]) == (LeadStage.MQL, LeadStage.SAL)
    assert payload["owner"] == {"id": cast.rep.pk, "name": "Rep", "email": "rep@example.com"}
    assert payload["owner_changed"] is True and payload["previous_owner_id"] is None
    assert payload["lead"] == {"id": lead.pk, "source": "accord", "external_id": None}
    assert payload["occurred_at"] == AS_OF.isoformat()

    update.refresh_from_db()
    assert (update.attempts, update.delivered_at) == (1, AS_OF)
    assert outbound.crm_updates_deliver().delivered == 0
    assert len(receiver.seen) == 1


def test_a_failing_crm_gets_retries_with_backoff_until_it_recovers(
    cast, make_lead, receiver, _frozen
) -> None:
    receiver.refuse_next = 2
    lead = make_lead(owner=cast.rep)
    services.lead_reject(lead=lead, by=cast.rep, reason=RejectionReason.NO_BUDGET)

    assert outbound.crm_updates_deliver().failed == 1
    update = CrmUpdate.objects.get()
    assert (update.attempts, update.last_error) == (1, "HTTP 503")
    assert update.next_attempt_at == AS_OF + timedelta(seconds=30)

    _frozen.shift(timedelta(seconds=29))
    assert outbound.crm_updates_deliver() == outbound.DeliveryRun(0, 0, update.next_attempt_at)
    _frozen.shift(timedelta(seconds=1))
    assert outbound.crm_updates_deliver().failed == 1
    update.refresh_from_db()
    assert update.next_attempt_at == AS_OF + timedelta(seconds=30 + 60)

    _frozen.shift(timedelta(seconds=60))
    assert outbound.crm_updates_deliver().delivered == 1
    ids = {json.loads(body)["event_id"] for _, body, _ in receiver.seen}
    assert ids == {str(update.event_id)}
    assert [h["X-Accord-Attempt"] for h, _, _ in receiver.seen] == ["1", "2", "3"]
    assert [status for _, _, status in receiver.seen] == [503, 503, 200]
    assert receiver.accepted()[0]["reason"] == RejectionReason.NO_BUDGET

    _frozen.shift(timedelta(hours=2))
    assert outbound.crm_updates_deliver().delivered == 0
    assert len(receiver.seen) == 3


def test_a_crm_that_is_down_gets_everything_once_it_is_back(
    cast, make_lead, receiver, _frozen
) -> None:
    assert receiver.server is not None
    port = receiver.server.server_address[1]
    receiver.server.shutdown()
    receiver.server.server_close()  # nothing listens: connection refused
    first, second = make_lead(owner=cast.rep), make_lead(owner=cast.rep)
    services.lead_accept(lead=first, by=cast.rep)
    services.lead_accept(lead=second, by=cast.rep)
    services.lead_qualify(lead=first, by=cast.rep)

    run = outbound.crm_updates_deliver()
    assert (run.delivered, run.failed) == (0, 1)  # stops at the first failure
    assert "Connection refused" in CrmUpdate.objects.order_by("pk")[0].last_error

    _serve(receiver, port)
    _frozen.shift(timedelta(seconds=30))
    assert outbound.crm_updates_deliver().delivered == 3
    changes = [(p["lead"]["id"], p["to_stage"]) for p in receiver.accepted()]
    # The earlier change of a lead always arrives before its later one.
    assert changes == [
        (first.pk, LeadStage.SAL),
        (second.pk, LeadStage.SAL),
        (first.pk, LeadStage.SQL),
    ]
    assert CrmUpdate.objects.filter(delivered_at__isnull=True).count() == 0


def test_a_later_change_waits_behind_an_earlier_one_that_failed(
    cast, make_lead, receiver, _frozen
) -> None:
    receiver.refuse_next = 1
    lead = make_lead(owner=cast.rep)
    services.lead_accept(lead=lead, by=cast.rep)
    assert outbound.crm_updates_deliver().failed == 1
    services.lead_qualify(lead=lead, by=cast.rep)  # due now, but its lead has one waiting
    assert outbound.crm_updates_deliver().delivered == 0
    _frozen.shift(timedelta(seconds=30))
    assert outbound.crm_updates_deliver().delivered == 2
    assert [p["to_stage"] for p in receiver.accepted()] == [LeadStage.SAL, LeadStage.SQL]


def test_a_claimed_update_is_not_sent_by_a_second_worker(cast, make_lead, receiver) -> None:
    services.lead_accept(lead=make_lead(owner=cast.rep), by=cast.rep)
    update = CrmUpdate.objects.get()
    assert outbound._claim(update, AS_OF)  # worker one is sending it
    assert outbound.crm_updates_deliver().delivered == 0  # worker two keeps off
    assert receiver.seen == []
    # Worker one died without an answer: after the claim runs out, it is sent again.
    assert outbound.crm_updates_deliver(now=AS_OF + outbound.CLAIM_FOR).delivered == 1
    assert len(receiver.seen) == 1


def test_the_outbox_row_is_written_with_the_change_or_not_at_all(cast, make_lead, receiver) -> None:
    lead = make_lead(owner=cast.rep)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.lead_accept(lead=lead, by=cast.rep)
        raise RuntimeError("the request failed after the move")
    assert CrmUpdate.objects.count() == 0
    lead.refresh_from_db()
    assert lead.stage == LeadStage.MQL
    stale = make_lead(owner=cast.rep)
    services.lead_accept(lead=stale.__class__.objects.get(pk=stale.pk), by=cast.rep)
    with pytest.raises(services.LeadMoveError):
        services.lead_reject(lead=stale, by=cast.rep, reason=RejectionReason.DUPLICATE)
    assert CrmUpdate.objects.count() == 1  # the accept only; the lost race wrote nothing


def test_changes_that_move_neither_stage_nor_owner_are_not_sent(cast, make_lead, receiver) -> None:
    lead = make_lead(owner=cast.rep)
    services.lead_record_contact(lead=lead, by=cast.rep)
    assert CrmUpdate.objects.count() == 0


def test_with_no_crm_address_nothing_is_queued(cast, make_lead, monkeypatch) -> None:
    monkeypatch.delenv("ACCORD_CRM_WEBHOOK_URL", raising=False)
    services.lead_accept(lead=make_lead(owner=cast.rep), by=cast.rep)
    assert CrmUpdate.objects.count() == 0
    assert outbound.crm_updates_deliver() == outbound.DeliveryRun(0, 0, None)


def test_the_task_sends_right_after_the_change_commits(
    cast, make_lead, receiver, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.lead_accept(lead=make_lead(owner=cast.rep), by=cast.rep)
    assert len(receiver.accepted()) == 1
    assert CrmUpdate.objects.get().delivered_at == AS_OF


@pytest.mark.parametrize(
    ("attempts", "seconds"), [(1, 30), (2, 60), (3, 120), (7, 1920), (8, 3600), (40, 3600)]
)
def test_backoff_doubles_up_to_an_hour(attempts, seconds) -> None:
    assert outbound.backoff(attempts) == timedelta(seconds=seconds)


def test_the_page_shows_how_the_webhook_is_doing(client, cast, make_lead, receiver) -> None:
    from django.urls import reverse

    from tests.conftest import login

    receiver.refuse_next = 1
    services.lead_accept(lead=make_lead(owner=cast.rep), by=cast.rep)
    outbound.crm_updates_deliver()
    login(client, cast.sales_manager)
    html = client.get(reverse("funnel:changes")).content.decode()
    assert "<code>127.0.0.1</code>" in html and "HTTP 503" in html
    assert "<dt>Failed at least once, still trying</dt><dd>1</dd>" in html


def test_without_a_secret_nothing_is_sent_and_nothing_is_lost(
    cast, make_lead, receiver, monkeypatch, _frozen
) -> None:
    monkeypatch.setenv("ACCORD_CRM_WEBHOOK_SECRET", "")
    services.lead_accept(lead=make_lead(owner=cast.rep), by=cast.rep)
    assert outbound.crm_updates_deliver().failed == 1
    assert receiver.seen == []
    assert CrmUpdate.objects.get().last_error == outbound.NO_SECRET
    monkeypatch.setenv("ACCORD_CRM_WEBHOOK_SECRET", SECRET)
    _frozen.shift(timedelta(seconds=30))
    assert outbound.crm_updates_deliver().delivered == 1
    assert len(receiver.accepted()) == 1


def test_a_crm_address_that_is_not_http_is_refused(monkeypatch) -> None:
    import pytest
    from django.core.exceptions import ImproperlyConfigured

    from accord.funnel.outbound import crm_target

    monkeypatch.setenv("ACCORD_CRM_WEBHOOK_URL", "file:///etc/passwd")
    with pytest.raises(ImproperlyConfigured, match="http:// or https://"):
        crm_target()
    monkeypatch.setenv("ACCORD_CRM_WEBHOOK_URL", "https://crm.example.com/hook")
    target = crm_target()
    assert target is not None and target.url == "https://crm.example.com/hook"
