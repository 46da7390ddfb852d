from __future__ import annotations

import pytest

from accord.diagnostic.instrument import instrument_load
from accord.diagnostic.scoring import (
    band_of,
    confidence_interval,
    summarise,
    suppressed_groups,
    t_critical,
)
from tests.diagnostic.helpers import answers_totalling, uniform

pytestmark = pytest.mark.nodb
INSTRUMENT = instrument_load()


def test_default_instrument_has_twenty_items_in_six_themes() -> None:
    assert INSTRUMENT.item_keys == tuple(f"q{i}" for i in range(1, 21))
    assert [t.key for t in INSTRUMENT.themes] == [
        "data_language",
        "communication",
        "planning",
        "field_work",
        "metrics_rewards",
        "structure_culture",
    ]
    assert all(INSTRUMENT.items_of(t.key) for t in INSTRUMENT.themes)
    for kind in ("undefined", "defined", "aligned"):
        assert any(m.from_type == kind for m in INSTRUMENT.moves)


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (20, "undefined"),
        (39, "undefined"),
        (39.99, "undefined"),
        (40, "defined"),
        (59, "defined"),
        (59.5, "defined"),
        (60, "aligned"),
        (79, "aligned"),
        (79.5, "aligned"),
        (80, "integrated"),
        (100, "integrated"),
    ],
)
def test_bands_at_the_edges(score: float, band: str) -> None:
    assert band_of(score, INSTRUMENT) == band


def test_group_score_is_mean_of_totals_and_type_is_band_of_mean() -> None:
    # Totals 59, 60, 59, 60, 60 → mean 59.6 → Defined, though most are Aligned.
    rows = [answers_totalling(t) for t in (59, 60, 59, 60, 60)]
    summary = summarise(rows, INSTRUMENT)
    assert summary.overall.score == pytest.approx(59.6)
    assert summary.overall.type == "defined"
    assert summary.distribution == {"undefined": 0, "defined": 2, "aligned": 3, "integrated": 0}


def test_theme_scores_are_on_the_total_scale() -> None:
    rows = [uniform(3)] * 5
    summary = summarise(rows, INSTRUMENT)
    assert summary.overall.score == 60
    assert set(summary.overall.themes.values()) == {60.0}


def test_t_interval_by_hand() -> None:
    # Values 40, 50, 60: mean 50, sd 10, se 10/sqrt(3), t(2) = 4.303.
    low, high = confidence_interval([40, 50, 60])
    half = 4.303 * 10 / 3**0.5
    assert (low, high) == (pytest.approx(50 - half), pytest.approx(50 + half))
    assert confidence_interval([50]) is None
    assert t_critical(200) == pytest.approx(1.972, abs=1e-3)


@pytest.mark.parametrize(
    ("counts", "hidden"),
    [
        ({"sales": 5, "marketing": 5}, set()),
        ({"sales": 4, "marketing": 5}, {"sales", "marketing"}),
        ({"sales": 4, "marketing": 9, "other": 6}, {"sales", "other"}),
        ({"sales": 3, "marketing": 3, "other": 7}, {"sales", "marketing"}),
        ({"sales": 1, "marketing": 1, "other": 1}, {"sales", "marketing", "other"}),
        ({"sales": 12}, set()),
    ],
)
def test_suppression_with_complements(counts: dict[str, int], hidden: set[str]) -> None:
    assert suppressed_groups(counts) == hidden


def test_a_group_of_four_is_hidden_a_group_of_five_shown() -> None:
    rows = [uniform(2, team="sales")] * 5 + [uniform(4, team="marketing")] * 4
    rows += [uniform(3, team="other")] * 5
    summary = summarise(rows, INSTRUMENT)
    assert summary.teams["marketing"].suppressed
    assert summary.teams["marketing"].score is None
    assert summary.gap is None
    # Four marketers alone would be revealed by overall minus the others: one more is hidden.
    assert sum(g.suppressed for g in summary.teams.values()) == 2
    assert summary.overall.score == pytest.approx((5 * 40 + 4 * 80 + 5 * 60) / 14)


def test_under_five_respondents_nothing_is_shown() -> None:
    summary = summarise([uniform(3)] * 4, INSTRUMENT)
    assert summary.overall.suppressed
    assert summary.as_dict()["score"] is None
    assert summary.teams == {} and summary.interval is None


def test_gap_is_marketing_minus_sales_overall_and_per_theme() -> None:
    sales = [uniform(2, team="sales")] * 5
    marketing = [uniform(3, team="marketing")] * 4 + [uniform(4, team="marketing")]
    summary = summarise(sales + marketing, INSTRUMENT)
    assert summary.teams["sales"].score == 40
    assert summary.teams["marketing"].score == 64
    assert summary.gap == 24
    assert set(summary.theme_gaps.values()) == {24.0}
    data = summary.as_dict()
    assert data["themes"]["planning"]["teams"] == {"sales": 40.0, "marketing": 64.0}
