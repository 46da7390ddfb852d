"""The metric layer's engines for tests: DuckDB always, PostgreSQL and Spark when present.

``metric_source`` is the small company of ``tests/metrics/dataset.py`` loaded
into each engine as canonical tables; tests parametrized over it check that
every engine gives the same numbers. With ACCORD_REQUIRE_ALL=1 a missing
engine fails instead of skipping.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import ibis
import pytest

from accord.metrics.gateway import Source
from accord.metrics.tables import Tables
from tests.metrics.dataset import arrow_tables

REQUIRE_ALL = os.environ.get("ACCORD_REQUIRE_ALL") == "1"
POSTGRES = {"host": "127.0.0.1", "user": "postgres", "database": "test"}
DATA_TIME = datetime(2024, 5, 1, tzinfo=UTC)
# ibis 12 still calls DuckDB 2's deprecated fetch_arrow_table() and a pandas 3 option.
IBIS_WARNINGS = (
    r"ignore:fetch_arrow_table\(\) is deprecated:DeprecationWarning",
    "ignore::pandas.errors.Pandas4Warning:ibis.formats",
)
SPARK_WARNINGS = (
    "ignore:PySpark does not yet fully support pandas:FutureWarning",
    "ignore::pandas.errors.Pandas4Warning:pyspark",
)


def unavailable(reason: str) -> None:
    if REQUIRE_ALL:
        pytest.fail(f"{reason} (ACCORD_REQUIRE_ALL=1)")
    pytest.skip(reason)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here not in item.path.parents or (here / "attribution") in item.path.parents:
            continue
        for spec in IBIS_WARNINGS:
            item.add_marker(pytest.mark.filterwarnings(spec))
        if item.get_closest_marker("spark"):
            for spec in SPARK_WARNINGS:
                item.add_marker(pytest.mark.filterwarnings(spec))


@pytest.fixture(autouse=True)
def _metrics_data_dir(settings, tmp_path: Path) -> Path:
    """Snapshots of each test go to its own folder, never to the working copy's data."""
    settings.DATA_DIR = tmp_path
    return tmp_path


def _source(engine: str, tables: dict[str, ibis.Table]) -> Source:
    return Source(engine, Tables(tables), f"dataset-{engine}", DATA_TIME)


@pytest.fixture(scope="session")
def duckdb_source() -> Source:
    con = ibis.duckdb.connect()
    con.raw_sql("SET TimeZone = 'UTC'")
    tables = {n: con.create_table(n, ibis.memtable(t)) for n, t in arrow_tables().items()}
    return _source("duckdb", tables)


@pytest.fixture(scope="session")
def postgres_source() -> Iterator[Source]:
    try:
        con = ibis.postgres.connect(**POSTGRES)
    except Exception as exc:
        unavailable(f"PostgreSQL at 127.0.0.1:5432 is unreachable: {exc}")
    con.raw_sql("SET TIME ZONE 'UTC'")
    prefix = f"m{uuid.uuid4().hex[:8]}_"
    tables = {n: con.create_table(prefix + n, t, temp=True) for n, t in arrow_tables().items()}
    yield _source("postgres", tables)
    con.disconnect()


@pytest.fixture(scope="session")
def spark_source() -> Iterator[Source]:
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        unavailable("pyspark is not installed (pip install accord[spark])")
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        unavailable("Java is not installed; Spark needs Java 17")
    session = (
        SparkSession.builder.master("local[2]")
        .appName("accord-metric-tests")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate()
    )
    con = ibis.pyspark.connect(session)
    prefix = f"m{uuid.uuid4().hex[:8]}_"
    tables = {}
    for name, table in arrow_tables().items():
        session.createDataFrame(table).createOrReplaceTempView(prefix + name)
        tables[name] = con.table(prefix + name)
    yield _source("spark", tables)
    session.stop()


@pytest.fixture(
    params=[
        "duckdb",
        pytest.param("postgres", marks=pytest.mark.postgres),
        pytest.param("spark", marks=pytest.mark.spark),
    ]
)
def metric_source(request: pytest.FixtureRequest) -> Source:
    return request.getfixturevalue(f"{request.param}_source")
