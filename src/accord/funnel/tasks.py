"""The SLA sweeper as a background task that puts itself back in the queue.

Each run writes what is due (``sweeper.sla_sweep`` is idempotent, so an
overlap or a crash between runs costs nothing) and, on a backend that can
defer work, enqueues the next run. On the immediate backend it runs once.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from accord.funnel import sweeper

SWEEP_EVERY = timedelta(minutes=5)


@task()
def sla_sweep(*, reschedule: bool = True) -> dict[str, int]:
    written = sweeper.sla_sweep(timezone.now())
    if reschedule and sla_sweep.get_backend().supports_defer:
        sla_sweep.using(run_after=timezone.now() + SWEEP_EVERY).enqueue(reschedule=True)
    return written
