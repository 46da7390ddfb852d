"""Every registered metric gives the same rows on DuckDB, PostgreSQL and Spark."""

from __future__ import annotations

from dataclasses import replace
from types import MappingProxyType

import pytest

from accord.metrics.gateway import Source, metric_rows
from accord.metrics.registry import MetricDef, MetricQuery, metrics_all
from tests.metrics.dataset import Q1

pytestmark = pytest.mark.nodb


def _queries(mdef: MetricDef) -> list[MetricQuery]:
    """The quarter whole, for one segment, and by the metric's first breakdown."""
    base = replace(Q1, options=MappingProxyType(dict(mdef.defaults)))
    queries = [base, replace(base, segment="SMB")]
    if mdef.breakdowns:
        queries.append(replace(base, by=mdef.breakdowns[0]))
    return queries


def _rounded(rows: list[dict[str, object]]) -> list[dict[str, object]]:
    return [{k: round(v, 9) if isinstance(v, float) else v for k, v in row.items()} for row in rows]


@pytest.mark.parametrize("mdef", metrics_all(), ids=lambda m: m.key)
def test_every_engine_gives_the_same_rows(
    mdef: MetricDef, metric_source: Source, duckdb_source: Source
) -> None:
    for query in _queries(mdef):
        expected = _rounded(metric_rows(mdef, duckdb_source, query))
        assert expected, f"{mdef.key} returned no rows for {query}"
        assert _rounded(metric_rows(mdef, metric_source, query)) == expected, query
