"""The attribution gateway: runs the pure expressions on whatever engine holds the touches."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import ibis.expr.types as ir
import numpy as np
import pyarrow as pa

from accord.metrics.attribution import expressions as ex
from accord.metrics.attribution.markov import Transitions, removal_credit, removal_effects
from accord.metrics.attribution.models import (
    HEURISTIC_MODELS,
    MILESTONE_MODELS,
    MODELS,
    Settings,
)
from accord.metrics.attribution.result import (
    CAMPAIGN_MISSING,
    MILESTONE_NEEDED,
    MISSING_COLUMN,
    NEGATIVE_VALUE,
    NOT_CONSTANT,
    NULL_IN_COLUMN,
    Attribution,
    AttributionInputError,
    Credit,
)
from accord.metrics.attribution.shapley import coverage_game, shapley_values


@dataclass(frozen=True)
class Prepared:
    """Checked touches with their credit key, the sorted keys, and the models that can run."""

    keyed: ir.Table
    keys: list[str]
    models: tuple[str, ...]
    skipped: dict[str, str]
    by: str
    profile: dict[str, object]

    def empty(self) -> Attribution:
        credit = Credit(conversions={}, value={})
        return Attribution(0, 0.0, 0.0, self.by, dict.fromkeys(self.models, credit), self.skipped)


def attribute(
    touches: ir.Table,
    *,
    models: tuple[str, ...] = MODELS,
    by: str = "channel",
    lookback_days: float | None = None,
    settings: Settings | None = None,
) -> Attribution:
    """Credit conversions and value of ``touches`` (the canonical touch table) per model."""
    settings = settings or Settings()
    prepared = touches_prepare(touches, models=models, by=by, lookback_days=lookback_days)
    if not prepared.keys:
        return prepared.empty()
    coded = ex.touches_coded(prepared.keyed, prepared.keys)
    order, n_keys = settings.markov_order, len(prepared.keys)
    steps = partial(transitions, coded, prepared.keyed, order=order, n_keys=n_keys)
    return credit(coded, steps, prepared, settings=settings)


def touches_prepare(
    touches: ir.Table,
    *,
    models: tuple[str, ...],
    by: str,
    lookback_days: float | None,
    profile: Callable[[ir.Table], dict[str, ir.Value]] | None = None,
) -> Prepared:
    """Check the input contract, add the credit key and list the keys (two small queries).

    ``profile`` adds aggregates over the typed touches to the checking query
    (one scan); their values come back in ``Prepared.profile``.
    """
    touches_check(touches, by=by)
    touches = ex.touches_typed(touches)
    extra = profile(touches) if profile else {}
    row = touches.aggregate(**ex.problem_counts(touches), **extra).to_pyarrow().to_pylist()[0]
    _problems_raise(touches, row)
    keyed = ex.touches_keyed(touches, by=by, lookback_days=lookback_days)
    keys = ex.distinct_keys(keyed).to_pyarrow().column("key").to_pylist()
    has_milestone = "milestone" in touches.columns
    skipped = {m: MILESTONE_NEEDED for m in models if m in MILESTONE_MODELS and not has_milestone}
    runnable = tuple(m for m in models if m not in skipped)
    return Prepared(keyed, keys, runnable, skipped, by, {k: row[k] for k in extra})


def credit(
    converting: ir.Table,
    steps: Callable[[], Transitions],
    prepared: Prepared,
    *,
    settings: Settings,
) -> Attribution:
    """Every model's credit from the coded touches (only converting ones are read) and the steps.

    ``converting`` may hold all coded touches or only the converting ones.
    ``steps`` is called last, after the queries on converting touches, so a
    caller can count the Markov steps meanwhile.
    """
    models, n_keys = prepared.models, len(prepared.keys)
    conversions, value = _totals(converting)
    credits: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    heuristics = tuple(m for m in models if m in HEURISTIC_MODELS)
    if heuristics:
        credits |= _heuristic_credits(converting, heuristics, settings, n_keys=n_keys)
    if "shapley" in models:
        credits["shapley"] = _shapley_credit(converting, n_keys=n_keys, settings=settings)
    counted = steps()
    if "markov" in models:
        effects = removal_effects(counted, n_keys=n_keys, order=settings.markov_order)
        credits["markov"] = (removal_credit(effects, conversions), removal_credit(effects, value))
    result = {m: _labelled(prepared.keys, *credits[m]) for m in models}
    journeys = int(counted.touches[counted.next_code < 0].sum())
    return Attribution(journeys, conversions, value, prepared.by, result, prepared.skipped)


def touches_check(touches: ir.Table, *, by: str) -> None:
    """Raise :class:`AttributionInputError` when a required column is missing."""
    if by not in ("channel", "campaign"):
        raise AttributionInputError(f"credit goes by channel or campaign, not {by!r}")
    for column in ex.REQUIRED_COLUMNS:
        if column not in touches.columns:
            raise AttributionInputError(
                MISSING_COLUMN.format(column=column, required=", ".join(ex.REQUIRED_COLUMNS))
            )
    if by == "campaign" and "campaign" not in touches.columns:
        raise AttributionInputError(CAMPAIGN_MISSING)


def _problems_raise(touches: ir.Table, counts: dict[str, object]) -> None:
    for kind in ex.problem_counts(touches):
        if counts[kind]:
            raise AttributionInputError(_problem_message(touches, kind))


def _problem_message(touches: ir.Table, kind: str) -> str:
    column = kind.rsplit("_", 1)[0]
    if kind == "value_negative":
        row = touches.filter(touches.value < 0).limit(1).to_pyarrow().to_pylist()[0]
        return NEGATIVE_VALUE.format(value=row["value"], journey=row["journey_id"])
    row = touches.filter(touches[column].isnull()).limit(1).to_pyarrow().to_pylist()[0]
    return NULL_IN_COLUMN.format(column=column, journey=row["journey_id"], ts=row["ts"])


def transitions(coded: ir.Table, keyed: ir.Table, *, order: int, n_keys: int) -> Transitions:
    """Markov transition counts by the portable window expression."""
    table = ex.transition_counts(coded, order=order, n_keys=n_keys).to_pyarrow()
    step = _ints(table.column("step"), fill=-1)
    flag = _ints(table.column("flag"))
    moving = step >= 0
    if (moving & (step % 2 != flag)).any():
        inconsistency_raise(keyed)
    return Transitions(
        state=_ints(table.column("state")),
        next_code=np.where(moving, step // 2, -1),
        converted=flag == 1,
        touches=_floats(table.column("touches")),
    )


def _totals(coded: ir.Table) -> tuple[float, float]:
    summary = ex.converting_summary(coded).to_pyarrow().to_pylist()[0]
    if summary["conflicts"]:
        journey = ex.value_conflicts(coded).limit(1).to_pyarrow().to_pylist()[0]["journey_id"]
        raise AttributionInputError(NOT_CONSTANT.format(column="value", journey=journey))
    return float(summary["conversions"]), float(summary["value"] or 0.0)


def inconsistency_raise(keyed: ir.Table) -> None:
    """Name the first journey whose touches disagree on ``converted`` or ``value``."""
    row = ex.inconsistent_journeys(keyed).limit(1).to_pyarrow().to_pylist()[0]
    column = "converted" if row["converted_kinds"] > 1 else "value"
    raise AttributionInputError(NOT_CONSTANT.format(column=column, journey=row["journey_id"]))


def _heuristic_credits(
    coded: ir.Table, models: tuple[str, ...], settings: Settings, *, n_keys: int
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    table = ex.heuristic_credit(coded, models=models, settings=settings).to_pyarrow()
    codes = _ints(table.column("code"))
    out = {}
    for model in models:
        out[model] = (
            _scatter(codes, _floats(table.column(f"{model}_conversions")), n_keys),
            _scatter(codes, _floats(table.column(f"{model}_value")), n_keys),
        )
    return out


def _shapley_credit(
    coded: ir.Table, *, n_keys: int, settings: Settings
) -> tuple[np.ndarray, np.ndarray]:
    if n_keys > settings.shapley_exact_limit:
        table = ex.shapley_unanimity_credit(coded).to_pyarrow()
        codes = _ints(table.column("code"))
        return (
            _scatter(codes, _floats(table.column("conversions")), n_keys),
            _scatter(codes, _floats(table.column("value")), n_keys),
        )
    table = ex.journey_masks(coded).to_pyarrow()
    masks = _ints(table.column("mask"))
    return (
        shapley_values(coverage_game(masks, _floats(table.column("conversions")), n_keys), n_keys),
        shapley_values(coverage_game(masks, _floats(table.column("value")), n_keys), n_keys),
    )


def _labelled(keys: list[str], conversions: np.ndarray, value: np.ndarray) -> Credit:
    return Credit(
        conversions={k: float(c) for k, c in zip(keys, conversions, strict=True)},
        value={k: float(v) for k, v in zip(keys, value, strict=True)},
    )


def _scatter(codes: np.ndarray, amounts: np.ndarray, n: int) -> np.ndarray:
    out = np.zeros(n)
    np.add.at(out, codes, amounts)
    return out


def _ints(column: pa.ChunkedArray, fill: int = 0) -> np.ndarray:
    return column.fill_null(fill).to_numpy().astype(np.int64)


def _floats(column: pa.ChunkedArray) -> np.ndarray:
    return column.fill_null(0).to_numpy().astype(np.float64)
