"""When the metric snapshot is refreshed, and the server's refresh thread."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest

from accord.connectors.models import ImportRun, ImportStatus
from accord.crm.models import Lead
from accord.metrics import snapshot
from accord.metrics.models import CachedResult
from accord.metrics.tasks import metrics_refresh, refresh_due, refresh_loop, snapshot_refresh

pytestmark = [
    pytest.mark.filterwarnings(r"ignore:fetch_arrow_table\(\) is deprecated:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning:ibis.formats"),
]
NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def lead(day: int) -> Lead:
    return Lead.objects.create(created_at=NOW - timedelta(days=day))


@pytest.mark.django_db
def test_a_refresh_is_due_without_a_snapshot_after_an_hour_or_after_an_import() -> None:
    assert refresh_due(NOW)
    snapshot.snapshot_take(now=NOW)
    assert not refresh_due(NOW + timedelta(minutes=59))
    assert refresh_due(NOW + timedelta(hours=1))
    ImportRun.objects.create(
        path="leads.csv",
        sha256="0" * 64,
        status=ImportStatus.APPLIED,
        started_at=NOW + timedelta(minutes=1),
        finished_at=NOW + timedelta(minutes=2),
    )
    assert refresh_due(NOW + timedelta(minutes=3))


@pytest.mark.django_db
def test_a_new_snapshot_drops_the_cache_of_pruned_ones() -> None:
    CachedResult.objects.create(
        metric_key="win_rate",
        query_key="q",
        definition_version=1,
        data_version="gone",
        payload={"rows": []},
        computed_at=NOW,
    )
    lead(1)
    taken = snapshot_refresh(NOW, warm=False)
    assert not CachedResult.objects.filter(data_version="gone").exists()
    assert snapshot_refresh(NOW, warm=False) == taken  # nothing changed, nothing copied


@pytest.mark.django_db
def test_the_task_refreshes_and_warms_the_default_scorecard() -> None:
    lead(1)
    result = metrics_refresh.enqueue(reschedule=False).return_value
    current = snapshot.snapshot_current()
    assert current is not None and result["data_version"] == current.version
    warmed = CachedResult.objects.filter(data_version=current.version)
    assert warmed.filter(metric_key="conversion_mql_to_sal").exists()


@pytest.mark.django_db(transaction=True)
def test_the_server_thread_takes_a_snapshot_and_stops() -> None:
    lead(1)
    stop = threading.Event()
    worker = threading.Thread(target=refresh_loop, args=(stop, 0.05), daemon=True)
    worker.start()
    try:
        for _ in range(600):
            if snapshot.snapshot_current() is not None:
                break
            stop.wait(0.1)
    finally:
        stop.set()
        worker.join(timeout=120)
    current = snapshot.snapshot_current()
    assert current is not None and current.rows["leads"] == 1
    assert not worker.is_alive()
