"""Keeping the metric layer's snapshot fresh, in the background.

A refresh fingerprints the canonical tables and copies them only when they
changed, so running it often is cheap. It is due when an import finished
after the current snapshot was taken, or when the snapshot is an hour old;
``accord serve`` checks every few minutes in a thread of its own, and a task
worker runs :func:`metrics_refresh`, which re-enqueues itself. After a new
snapshot, cached results of pruned snapshots are deleted and the default
scorecard is computed once so the first manager to look does not wait.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import date, datetime, timedelta

from django.db import close_old_connections, connection
from django.utils import timezone
from django_tasks import task

from accord.metrics import snapshot as snapshots

REFRESH_EVERY = timedelta(hours=1)
CHECK_EVERY_SECONDS = 300
log = logging.getLogger("accord.metrics")
# Pages that read the metric layer register here (in their AppConfig.ready) to
# compute their default view right after a new snapshot; the metric layer never
# imports them.
WARMERS: list[Callable[[date], object]] = []


def refresh_due(now: datetime) -> bool:
    """No snapshot yet, one older than an hour, or an import applied since it was taken."""
    from accord.connectors.models import ImportRun, ImportStatus

    current = snapshots.snapshot_current()
    if current is None or now - current.taken_at >= REFRESH_EVERY:
        return True
    return ImportRun.objects.filter(
        status=ImportStatus.APPLIED, finished_at__gt=current.taken_at
    ).exists()


def snapshot_refresh(now: datetime, *, warm: bool = True) -> snapshots.Snapshot:
    """Take a snapshot if the data changed, drop stale cached results, warm the scorecard."""
    from accord.metrics import gateway, scorecard

    before = snapshots.snapshot_current()
    taken = snapshots.snapshot_take(now=now)
    if before is None or taken.version != before.version:
        kept = {p.name for p in snapshots.snapshots_dir().iterdir() if not p.name.startswith(".")}
        gateway.cache_prune(keep_versions=kept)
        if warm:
            scorecard.scorecard_compute(scorecard.default_query(now.date()))
            for warmer in WARMERS:
                try:
                    warmer(now.date())
                except Exception:  # a page's warm-up must never stop the refresh
                    log.exception("warming %s failed", getattr(warmer, "__name__", warmer))
    return taken


@task()
def metrics_refresh(*, reschedule: bool = True) -> dict[str, object]:
    now = timezone.now()
    taken = snapshot_refresh(now)
    if reschedule and metrics_refresh.get_backend().supports_defer:
        metrics_refresh.using(run_after=now + REFRESH_EVERY).enqueue(reschedule=True)
    return {"data_version": taken.version, "taken_at": taken.taken_at.isoformat()}


def refresh_loop(stop: threading.Event, every: float = CHECK_EVERY_SECONDS) -> None:
    """The server's refresh thread: check often, copy only when due and changed."""
    try:
        while not stop.is_set():
            try:
                now = timezone.now()
                if refresh_due(now):
                    snapshot_refresh(now)
            except Exception:  # keep the thread alive; the next check retries
                log.exception("Metric snapshot refresh failed")
            finally:
                close_old_connections()
            stop.wait(every)
    finally:
        connection.close()
