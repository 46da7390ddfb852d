"""Engines for the attribution tests: DuckDB always, PostgreSQL and Spark when present.

With ACCORD_REQUIRE_ALL=1 a missing engine or peer package fails instead of skipping.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import ibis
import ibis.expr.types as ir
import pyarrow as pa
import pytest

from tests.metrics.attribution.helpers import SPARK_DDL

REQUIRE_ALL = os.environ.get("ACCORD_REQUIRE_ALL") == "1"
POSTGRES = {"host": "127.0.0.1", "user": "postgres", "database": "test"}
# ibis 12 still calls DuckDB 2's deprecated fetch_arrow_table() and a pandas 3 option.
IBIS_WARNINGS = (
    r"ignore:fetch_arrow_table\(\) is deprecated:DeprecationWarning",
    "ignore::pandas.errors.Pandas4Warning:ibis.formats",
)
SPARK_WARNINGS = (
    "ignore:PySpark does not yet fully support pandas:FutureWarning",
    "ignore::pandas.errors.Pandas4Warning:pyspark",
)

Loader = Callable[[pa.Table], ir.Table]


def unavailable(reason: str) -> None:
    if REQUIRE_ALL:
        pytest.fail(f"{reason} (ACCORD_REQUIRE_ALL=1)")
    pytest.skip(reason)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here not in item.path.parents:
            continue
        for spec in IBIS_WARNINGS:
            item.add_marker(pytest.mark.filterwarnings(spec))
        if item.get_closest_marker("spark"):
            for spec in SPARK_WARNINGS:
                item.add_marker(pytest.mark.filterwarnings(spec))


@pytest.fixture(scope="session")
def duckdb_loader() -> Loader:
    con = ibis.duckdb.connect()
    return lambda table: con.create_table(f"touches_{uuid.uuid4().hex}", ibis.memtable(table))


@pytest.fixture(scope="session")
def postgres_loader() -> Iterator[Loader]:
    try:
        con = ibis.postgres.connect(**POSTGRES)
    except Exception as exc:
        unavailable(f"PostgreSQL at 127.0.0.1:5432 is unreachable: {exc}")
    yield lambda table: con.create_table(f"touches_{uuid.uuid4().hex}", table, temp=True)
    con.disconnect()


@pytest.fixture(scope="session")
def spark_loader() -> Iterator[Loader]:
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        unavailable("pyspark is not installed (pip install accord[spark])")
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        unavailable("Java is not installed; Spark needs Java 17")
    session = (
        SparkSession.builder.master("local[2]")
        .appName("accord-attribution-tests")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate()
    )
    con = ibis.pyspark.connect(session)

    def load(table: pa.Table) -> ir.Table:
        name = f"touches_{uuid.uuid4().hex}"
        rows = [tuple(r.values()) for r in table.to_pylist()]
        session.createDataFrame(rows, SPARK_DDL).createOrReplaceTempView(name)
        return con.table(name)

    yield load
    session.stop()


@pytest.fixture(
    params=[
        "duckdb",
        pytest.param("postgres", marks=pytest.mark.postgres),
        pytest.param("spark", marks=pytest.mark.spark),
    ]
)
def load(request: pytest.FixtureRequest) -> Loader:
    return request.getfixturevalue(f"{request.param}_loader")
