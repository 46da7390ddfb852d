"""Metrics declared as data: one :class:`MetricDef` per metric, in one registry.

A metric is a pure function ``(tables, query) -> ir.Table``: an Ibis expression
over the canonical tables, with no connection and nothing executed inside.
The returned table has one ``value`` column, one row per group of
``query.by`` (a single row when ``by`` is ``None``), and may carry the
``numerator``/``denominator`` it was divided from so a reader can check it.

The code holds version 1 of each definition (its words and its default
parameters). A new version is data, in force only once a sales manager and a
marketing manager have both signed it; the gateway resolves the version in
force and hands its parameters to the function through ``query.options``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType
from typing import Literal

import ibis.expr.types as ir

from accord.metrics.tables import Tables

Side = Literal["marketing", "sales"]
Unit = Literal["ratio", "money", "days", "hours", "count", "months", "multiple"]


@dataclass(frozen=True)
class MetricQuery:
    """What to compute: a period of whole months, an optional segment and breakdown.

    ``start`` is the first day of the first month (inclusive) and ``end`` the
    first day after the last month (exclusive). ``segment`` is a segment name.
    ``options`` are the definition's parameters (defaults merged with the
    signed version in force) plus any the caller overrides.
    """

    start: date
    end: date
    segment: str | None = None
    by: str | None = None
    options: Mapping[str, object] = field(default_factory=lambda: MappingProxyType({}))

    def option(self, name: str) -> object:
        return self.options[name]

    def key(self) -> tuple[object, ...]:
        """A hashable identity for caching."""
        return (self.start, self.end, self.segment, self.by, tuple(sorted(self.options.items())))


Compute = Callable[[Tables, MetricQuery], ir.Table]


@dataclass(frozen=True)
class MetricDef:
    """One metric: its words, its owners, its unit, its parameters and how to compute it."""

    key: str
    name: str
    definition: str
    formula: str
    sides: tuple[Side, ...]
    unit: Unit
    compute: Compute
    breakdowns: tuple[str, ...] = ()
    defaults: Mapping[str, object] = field(default_factory=lambda: MappingProxyType({}))
    on_scorecard: bool = True


class UnknownMetricError(KeyError):
    pass


REGISTRY: dict[str, MetricDef] = {}


def metric(
    key: str,
    *,
    name: str,
    definition: str,
    formula: str,
    sides: tuple[Side, ...],
    unit: Unit,
    breakdowns: tuple[str, ...] = (),
    defaults: Mapping[str, object] | None = None,
    on_scorecard: bool = True,
) -> Callable[[Compute], Compute]:
    """Register ``fn`` as metric ``key``; the function itself is returned unchanged."""

    def register(fn: Compute) -> Compute:
        if key in REGISTRY:
            raise ValueError(f"metric {key!r} is declared twice")
        REGISTRY[key] = MetricDef(
            key=key,
            name=name,
            definition=definition,
            formula=formula,
            sides=sides,
            unit=unit,
            compute=fn,
            breakdowns=breakdowns,
            defaults=MappingProxyType(dict(defaults or {})),
            on_scorecard=on_scorecard,
        )
        return fn

    return register


def metric_get(key: str) -> MetricDef:
    metrics_load()
    try:
        return REGISTRY[key]
    except KeyError:
        raise UnknownMetricError(f"no metric named {key!r}") from None


def metrics_all() -> list[MetricDef]:
    metrics_load()
    return sorted(REGISTRY.values(), key=lambda m: m.key)


def metrics_load() -> None:
    """Import every module of ``accord.metrics.definitions`` so their metrics register."""
    import importlib
    import pkgutil

    from accord.metrics import definitions

    for module in pkgutil.iter_modules(definitions.__path__):
        importlib.import_module(f"{definitions.__name__}.{module.name}")
