"""The funnel's background work: the SLA sweeper and the CRM outbox.

Each sweeper run writes what is due (``sweeper.sla_sweep`` is idempotent, so
an overlap or a crash between runs costs nothing), gives recycled leads with
new engagement another look, retries CRM updates whose wait is over and, on a
backend that can defer work, enqueues the next run. On the immediate backend
it runs once.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from accord.funnel import outbound, services, sweeper

SWEEP_EVERY = timedelta(minutes=5)


@task()
def sla_sweep(*, reschedule: bool = True) -> dict[str, int]:
    written = sweeper.sla_sweep(timezone.now())
    written["recycled_reviewed"] = services.recycled_leads_review()
    written["crm_updates_sent"] = outbound.crm_updates_deliver().delivered
    if reschedule and sla_sweep.get_backend().supports_defer:
        sla_sweep.using(run_after=timezone.now() + SWEEP_EVERY).enqueue(reschedule=True)
    return written


@task()
def crm_updates_deliver() -> dict[str, int]:
    """Send due CRM updates; on a deferring backend, come back when the next one is due."""
    run = outbound.crm_updates_deliver()
    backend = crm_updates_deliver.get_backend()
    if run.failed and run.next_due is not None and backend.supports_defer:
        crm_updates_deliver.using(run_after=run.next_due).enqueue()
    return {"delivered": run.delivered, "failed": run.failed}
