from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.utils import timezone

from accord.crm.models import Lead, LeadEvent
from accord.server import sweeper_loop
from tests.conftest import Cast


@pytest.mark.django_db(transaction=True)
def test_the_served_sweeper_breaches_an_overdue_mql_once(cast: Cast) -> None:
    due = timezone.now() - timedelta(hours=1)
    lead = Lead.objects.create(
        stage="mql",
        owner=cast.rep,
        mql_at=due - timedelta(hours=4),
        accept_due_at=due,
        contact_due_at=due + timedelta(days=2),
        created_at=due - timedelta(hours=5),
    )
    stop = threading.Event()
    worker = threading.Thread(target=sweeper_loop, args=(stop, 0.05), daemon=True)
    worker.start()
    try:
        for _ in range(200):
            if LeadEvent.objects.filter(lead=lead, kind="sla_breach").exists():
                break
            stop.wait(0.05)
        stop.wait(0.3)  # several more sweeps run meanwhile
    finally:
        stop.set()
        worker.join(timeout=10)
    assert LeadEvent.objects.filter(lead=lead, kind="sla_breach").count() == 1
