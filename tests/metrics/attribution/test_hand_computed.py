"""Every model on a small set of journeys whose credit is worked out by hand."""

from __future__ import annotations

import pytest

from accord.metrics.attribution import MODELS, attribute
from tests.metrics.attribution.helpers import touch_table

pytestmark = pytest.mark.nodb

ROWS = [
    ("A", 0, "email", True, 100, "lead_created"),
    ("A", 7, "search", True, 100, "opportunity_created"),
    ("A", 14, "direct", True, 100, "closed_won"),
    ("B", 0, "search", True, 50),
    ("C", 0, "email", True, 10),
    ("C", 1, "direct", True, 10),
    ("D", 0, "webinar", False, 0),
    ("D", 3, "email", False, 0),
]
DECAY_C = 2 ** (-1 / 7)

# Per model: conversion credit of (direct, email, search, webinar); worked out in the docstring
# of each journey: A = email > search > direct (days 0, 7, 14), B = search, C = email > direct.
EXPECTED = {
    "first": (0, 2, 1, 0),
    "last": (2, 0, 1, 0),
    "last_non_direct": (0, 1, 2, 0),
    "linear": (1 / 3 + 1 / 2, 1 / 3 + 1 / 2, 1 / 3 + 1, 0),
    "time_decay": (4 / 7 + 1 / (1 + DECAY_C), 1 / 7 + DECAY_C / (1 + DECAY_C), 2 / 7 + 1, 0),
    "position": (0.4 + 0.5, 0.4 + 0.5, 0.2 + 1, 0),
    "j_shaped": (0.6 + 0.5, 0.2 + 0.5, 0.2 + 1, 0),
    "inverse_j": (0.2 + 0.5, 0.6 + 0.5, 0.2 + 1, 0),
    # A: email is first and lead touch (0.6), search the opportunity (0.3), direct the middle
    # (0.1); B: one touch; C has no milestones: first 0.3 and middle 0.1, scaled to 0.75/0.25.
    "w_shaped": (0.1 + 0.25, 0.6 + 0.75, 0.3 + 1, 0),
    # A: 0.45 / 0.225 / 0.225 with no middle touch, scaled to 0.5 / 0.25 / 0.25;
    # C: first 0.225 and middle 0.1, scaled.
    "full_path": (0.25 + 0.1 / 0.325, 0.5 + 0.225 / 0.325, 0.25 + 1, 0),
    # Removal effects 2/3, 2/3, 2/3 and 2/9 (webinar leads into email), of 3 conversions.
    "markov": (0.9, 0.9, 0.9, 0.3),
    "shapley": (1 / 3 + 1 / 2, 1 / 3 + 1 / 2, 1 / 3 + 1, 0),
}
CHANNELS = ("direct", "email", "search", "webinar")


@pytest.fixture(scope="module")
def result(duckdb_loader):
    return attribute(duckdb_loader(touch_table(ROWS)))


def test_totals(result) -> None:
    assert (result.journeys, result.conversions, result.value) == (4, 3, 160)


@pytest.mark.parametrize("model", MODELS)
def test_conversion_credit(result, model: str) -> None:
    credit = result.models[model].conversions
    assert [credit[c] for c in CHANNELS] == pytest.approx(EXPECTED[model], abs=1e-12)


def test_value_credit_of_linear_and_markov(result) -> None:
    linear = result.models["linear"].value
    assert linear["search"] == pytest.approx(100 / 3 + 50)
    assert linear["email"] == pytest.approx(100 / 3 + 5)
    markov = result.models["markov"].value
    assert markov["webinar"] == pytest.approx(160 * 0.1)


def test_lookback_drops_old_touches(duckdb_loader) -> None:
    result = attribute(duckdb_loader(touch_table(ROWS)), models=("first",), lookback_days=10)
    # A's email (14 days before its last touch) is out of the window: search becomes first.
    assert result.models["first"].conversions["search"] == 2


def test_half_life_is_configurable(duckdb_loader) -> None:
    from accord.metrics.attribution import Settings

    rows = [("A", 0, "email", True, 1), ("A", 2, "search", True, 1)]
    result = attribute(
        duckdb_loader(touch_table(rows)),
        models=("time_decay",),
        settings=Settings(half_life_days=2),
    )
    assert result.models["time_decay"].conversions["email"] == pytest.approx(1 / 3)


def test_position_weights_are_configurable(duckdb_loader) -> None:
    from accord.metrics.attribution import Settings, Shape

    rows = [("A", 0, "email", True, 1), ("A", 1, "x", True, 1), ("A", 2, "search", True, 1)]
    settings = Settings(position=Shape(first=0.5, last=0.3, middle=0.2))
    result = attribute(duckdb_loader(touch_table(rows)), models=("position",), settings=settings)
    assert result.models["position"].conversions == pytest.approx(
        {"email": 0.5, "x": 0.2, "search": 0.3}
    )


def test_credit_by_campaign(duckdb_loader) -> None:
    rows = [
        ("A", 0, "email", True, 10, None, "spring"),
        ("A", 1, "search", True, 10, None, None),
        ("B", 0, "email", False, 0, None, "spring"),
    ]
    result = attribute(duckdb_loader(touch_table(rows)), models=("linear",), by="campaign")
    assert result.models["linear"].value == {"(no campaign)": 5.0, "spring": 5.0}


def test_milestone_models_are_skipped_without_the_column(duckdb_loader) -> None:
    table = touch_table(ROWS).drop_columns(["milestone"])
    result = attribute(duckdb_loader(table), models=("linear", "w_shaped", "full_path"))
    assert set(result.models) == {"linear"}
    assert set(result.skipped) == {"w_shaped", "full_path"}


def test_markov_order_two_runs_and_sums_to_totals(duckdb_loader) -> None:
    from accord.metrics.attribution import Settings

    result = attribute(
        duckdb_loader(touch_table(ROWS)), models=("markov",), settings=Settings(markov_order=2)
    )
    assert sum(result.models["markov"].conversions.values()) == pytest.approx(3)
