"""The snapshot, the gateway's cache and the versions results carry, on the app database."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pyarrow.parquet as pq
import pytest
from django.db import connection

from accord.crm.models import Account, Contact, Lead
from accord.directory.models import Segment
from accord.metrics import gateway, snapshot
from accord.metrics.models import CachedResult
from accord.metrics.registry import MetricQuery
from accord.metrics.signoff import metric_version_propose, metric_version_sign
from accord.metrics.tables import CANONICAL
from tests.conftest import Cast

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings(r"ignore:fetch_arrow_table\(\) is deprecated:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning:ibis.formats"),
]
MARCH = MetricQuery(start=date(2024, 3, 1), end=date(2024, 4, 1))


def at(day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(2024, 3, day, hour, minute, tzinfo=UTC)


def mql(day: int, *, accepted: bool, contact_minutes: int | None = None, **fields) -> Lead:
    """An MQL of March ``day``, accepted an hour later or not, first contacted after N minutes."""
    mql_at = at(day, 9)
    return Lead.objects.create(
        created_at=mql_at - timedelta(days=1),
        mql_at=mql_at,
        sal_at=mql_at + timedelta(hours=1) if accepted else None,
        first_contact_at=(
            mql_at + timedelta(minutes=contact_minutes) if contact_minutes is not None else None
        ),
        **fields,
    )


def test_a_snapshot_holds_every_canonical_table_and_no_private_column() -> None:
    Contact.objects.create(email="ada@example.com", first_name="Ada", created_at=at(1))
    mql(2, accepted=True)
    taken = snapshot.snapshot_take()
    assert taken.rows["leads"] == 1 and taken.rows["contacts"] == 1
    assert sorted(p.stem for p in taken.path.glob("*.parquet")) == sorted(CANONICAL)
    contacts = pq.read_table(taken.file("contacts"))
    assert "email" not in contacts.column_names and "first_name" not in contacts.column_names
    leads = pq.read_table(taken.file("leads")).to_pylist()
    assert leads[0]["mql_at"] == at(2, 9)
    assert snapshot.snapshot_current() == taken


def test_an_unchanged_database_keeps_its_snapshot_and_a_write_makes_a_new_one() -> None:
    mql(2, accepted=True)
    first = snapshot.snapshot_take()
    assert snapshot.snapshot_take().path == first.path
    mql(3, accepted=False)
    second = snapshot.snapshot_take()
    assert second.version != first.version and second.rows["leads"] == 2
    Segment.objects.create(name="SMB", slug="smb")  # a reference table has no updated_at
    assert snapshot.snapshot_take().version != second.version


def test_old_snapshots_are_pruned_but_the_newest_three_stay() -> None:
    versions = []
    for day in range(1, 6):
        mql(day, accepted=True)
        versions.append(snapshot.snapshot_take().version)
    kept = sorted(p.name for p in snapshot.snapshots_dir().iterdir())
    assert kept == sorted(versions[-3:])


def test_tables_are_copied_in_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(snapshot, "BATCH_ROWS", 2)
    for day in range(1, 6):
        mql(day, accepted=day % 2 == 0)
    taken = snapshot.snapshot_take()
    table = pq.read_table(taken.file("leads"))
    assert table.num_rows == 5
    assert sorted(table.column("sal_at").is_valid().to_pylist()) == [False] * 3 + [True] * 2


def test_run_computes_from_the_snapshot_then_serves_the_cache() -> None:
    for day, accepted in ((1, True), (2, True), (3, False), (4, True)):
        mql(day, accepted=accepted)
    april = mql(20, accepted=True)
    Lead.objects.filter(pk=april.pk).update(mql_at=datetime(2024, 4, 2, tzinfo=UTC))
    result = gateway.run("conversion_mql_to_sal", MARCH)
    assert result.value == pytest.approx(3 / 4)
    assert result.rows == [{"value": 0.75, "numerator": 3, "denominator": 4}]
    current = snapshot.snapshot_current()
    assert current is not None
    assert (result.definition_version, result.data_version) == (1, current.version)
    assert result.data_time == current.taken_at and not result.from_cache
    again = gateway.run("conversion_mql_to_sal", MARCH)
    assert again.from_cache and again.rows == result.rows
    assert again.computed_at == result.computed_at
    assert CachedResult.objects.count() == 1


def test_a_signed_version_is_carried_by_results_and_its_parameters_apply(cast: Cast) -> None:
    mql(1, accepted=True, contact_minutes=30)
    mql(2, accepted=True, contact_minutes=90)
    mql(3, accepted=False, contact_minutes=150)
    fast = "conversion_to_sql_contacted_fast"
    before = gateway.run(fast, MARCH)
    assert (before.definition_version, before.rows[0]["denominator"]) == (1, 1)
    proposed = metric_version_propose(
        metric_key=fast,
        definition="MQLs contacted within two hours.",
        parameters={"within_hours": 2},
        by=cast.cro,
    )
    metric_version_sign(version=proposed, by=cast.sales_manager)
    pending = gateway.run(fast, MARCH)  # one signature is not enough
    assert pending.definition_version == 1 and pending.from_cache
    metric_version_sign(version=proposed, by=cast.marketing_manager)
    after = gateway.run(fast, MARCH)
    assert after.definition_version == 2 and not after.from_cache
    assert after.rows[0]["denominator"] == 2
    assert CachedResult.objects.filter(metric_key=fast).count() == 2


def test_segment_and_breakdown_reach_the_metric() -> None:
    smb = Segment.objects.create(name="SMB", slug="smb")
    account = Account.objects.create(name="Acme", segment=smb, created_at=at(1))
    mql(1, accepted=True, account=account)
    mql(2, accepted=False, account=account)
    mql(3, accepted=True)
    assert gateway.run("conversion_mql_to_sal", replace(MARCH, segment="SMB")).value == 0.5
    by_segment = gateway.run("conversion_mql_to_sal", replace(MARCH, by="segment"))
    assert by_segment.value is None
    assert [(r["segment"], r["value"]) for r in by_segment.rows] == [("(none)", 1.0), ("SMB", 0.5)]


def test_bad_engine_and_bad_breakdown_are_clear_errors() -> None:
    with pytest.raises(ValueError, match="Unknown engine 'oracle'"):
        gateway.run("conversion_mql_to_sal", MARCH, engine="oracle")
    with pytest.raises(ValueError, match="cannot be broken down by 'colour'"):
        gateway.run("conversion_mql_to_sal", replace(MARCH, by="colour"))


@pytest.mark.django_db(transaction=True)  # Ibis reads over its own connection: commit first
def test_the_postgres_engine_reads_the_app_database_directly() -> None:
    mql(1, accepted=True)
    mql(2, accepted=False)
    if connection.vendor != "postgresql":
        with pytest.raises(ValueError, match="not PostgreSQL"):
            gateway.run("conversion_mql_to_sal", MARCH, engine="postgres")
        return
    direct = gateway.run("conversion_mql_to_sal", MARCH, engine="postgres")
    assert direct.engine == "postgres" and direct.data_version == snapshot.data_fingerprint()
    assert direct.value == 0.5 == gateway.run("conversion_mql_to_sal", MARCH).value


def test_a_snapshot_missing_a_table_is_taken_again() -> None:
    mql(1, accepted=True)
    first = snapshot.snapshot_take()
    first.file("mql_commitments").unlink()  # as if taken before that table was canonical
    assert gateway.run("conversion_mql_to_sal", MARCH).value == 1.0
    again = snapshot.snapshot_current()
    assert again is not None and snapshot.snapshot_complete(again)
    assert again.version == first.version
