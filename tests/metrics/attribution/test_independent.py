"""The engine against deliberately naive re-implementations and against ChannelAttribution."""

from __future__ import annotations

import importlib.util
import itertools
import random
from collections import defaultdict

import numpy as np
import pandas as pd
import pytest

from accord.metrics.attribution import MODELS, Settings, attribute
from accord.metrics.attribution.shapley import coverage_game, shapley_values
from tests.metrics.attribution.conftest import unavailable
from tests.metrics.attribution.helpers import touch_table

pytestmark = pytest.mark.nodb

CHANNELS = ["direct", "email", "search", "webinar", "event", "display"]
MILESTONES = [None, None, None, "lead_created", "opportunity_created", "closed_won"]


def random_rows(seed: int, journeys: int = 300) -> list[tuple]:
    rng = random.Random(seed)
    rows = []
    for j in range(journeys):
        converted = rng.random() < 0.3
        value = rng.randint(1, 900) if converted else 0
        day = 0.0
        for _ in range(rng.randint(1, 7)):
            day += rng.randint(1, 400) / 24  # distinct times: ties would need the tie rule
            rows.append(
                (f"j{j}", day, rng.choice(CHANNELS), converted, value, rng.choice(MILESTONES))
            )
    return rows


def naive_weights(path: pd.DataFrame, model: str) -> list[float]:
    """Weights of one converting journey, touch by touch, the obvious way."""
    n = len(path)
    channels = list(path.channel)
    milestones = list(path.milestone)
    if model == "first":
        return [1.0 if i == 0 else 0.0 for i in range(n)]
    if model == "last":
        return [1.0 if i == n - 1 else 0.0 for i in range(n)]
    if model == "last_non_direct":
        pick = n - 1
        for i in range(n):
            if channels[i] != "direct":
                pick = i
        return [1.0 if i == pick else 0.0 for i in range(n)]
    if model == "linear":
        return [1.0 / n] * n
    if model == "time_decay":
        days = [(path.ts.iloc[-1] - t).total_seconds() / 86400 for t in path.ts]
        raw = [0.5 ** (d / 7) for d in days]
        return [r / sum(raw) for r in raw]
    shares = {
        "position": {"first": 0.4, "last": 0.4, "middle": 0.2},
        "j_shaped": {"first": 0.2, "last": 0.6, "middle": 0.2},
        "inverse_j": {"first": 0.6, "last": 0.2, "middle": 0.2},
        "w_shaped": {"first": 0.3, "lead_created": 0.3, "opportunity_created": 0.3, "middle": 0.1},
        "full_path": {
            "first": 0.225,
            "lead_created": 0.225,
            "opportunity_created": 0.225,
            "closed_won": 0.225,
            "middle": 0.1,
        },
    }[model]
    if model in ("position", "j_shaped", "inverse_j") and n == 2:
        return [0.5, 0.5]
    raw = [0.0] * n
    anchored = [False] * n
    for role, share in shares.items():
        if role == "middle":
            continue
        if role == "first":
            where = 0
        elif role == "last":
            where = n - 1
        else:
            hits = [i for i in range(n) if milestones[i] == role]
            if not hits:
                continue
            where = hits[0]
        raw[where] += share
        anchored[where] = True
    rest = n - sum(anchored)
    for i in range(n):
        if not anchored[i]:
            raw[i] += shares["middle"] / rest
    total = sum(raw)
    return [r / total for r in raw]


def naive_credit(rows: list[tuple], model: str) -> dict[str, float]:
    frame = touch_table(rows).to_pandas()
    credit: dict[str, float] = defaultdict(float)
    for _, path in frame[frame.converted].groupby("journey_id"):
        path = path.sort_values("ts")
        for channel, w in zip(path.channel, naive_weights(path, model), strict=True):
            credit[channel] += w
    return credit


@pytest.mark.parametrize("model", [m for m in MODELS if m not in ("markov", "shapley")])
def test_heuristics_match_a_naive_pandas_loop(duckdb_loader, model: str) -> None:
    rows = random_rows(seed=11)
    result = attribute(duckdb_loader(touch_table(rows)), models=(model,))
    expected = naive_credit(rows, model)
    got = result.models[model].conversions
    for channel in CHANNELS:
        assert got[channel] == pytest.approx(expected.get(channel, 0.0), abs=1e-9)


def paths_of(rows: list[tuple]) -> list[tuple[list[str], bool]]:
    journeys: dict[str, list[tuple]] = defaultdict(list)
    for row in rows:
        journeys[row[0]].append(row)
    return [([r[2] for r in sorted(js, key=lambda r: r[1])], js[0][3]) for js in journeys.values()]


def absorbing_conversion(paths: list[tuple[list[str], bool]], removed: str | None) -> float:
    """P(conversion) of the order-1 chain, via the fundamental matrix N = (I - Q)^-1."""
    states = sorted({c for path, _ in paths for c in path})
    index = {s: i for i, s in enumerate(states)}
    counts = np.zeros((len(states) + 3, len(states) + 3))  # + start, conversion, null
    start, conv, null = len(states), len(states) + 1, len(states) + 2
    for path, converted in paths:
        sequence = [start] + [index[c] for c in path] + [conv if converted else null]
        for a, b in itertools.pairwise(sequence):
            counts[a, b] += 1
    if removed is not None:
        gone = index[removed]
        counts[:, null] += counts[:, gone]
        counts[:, gone] = 0
        counts[gone, :] = 0
        counts[gone, null] = 1
    transient = [*range(len(states)), start]
    p = counts / np.maximum(counts.sum(axis=1, keepdims=True), 1)
    q = p[np.ix_(transient, transient)]
    fundamental = np.linalg.inv(np.eye(len(transient)) - q)
    return float((fundamental @ p[transient, conv])[-1])


def test_markov_matches_the_absorbing_chain(duckdb_loader) -> None:
    rows = random_rows(seed=5)
    result = attribute(duckdb_loader(touch_table(rows)), models=("markov",))
    paths = paths_of(rows)
    full = absorbing_conversion(paths, None)
    effects = {c: 1 - absorbing_conversion(paths, c) / full for c in CHANNELS}
    total = sum(effects.values())
    for channel in CHANNELS:
        expected = effects[channel] / total * result.conversions
        assert result.models["markov"].conversions[channel] == pytest.approx(expected, abs=1e-9)


def test_shapley_zeta_matches_the_closed_form() -> None:
    rng = np.random.default_rng(3)
    n = 7
    masks = rng.integers(1, 1 << n, size=40)
    amounts = rng.integers(1, 10, size=40).astype(float)
    phi = shapley_values(coverage_game(masks, amounts, n), n)
    closed = np.zeros(n)
    for mask, amount in zip(masks, amounts, strict=True):
        members = [i for i in range(n) if mask >> i & 1]
        closed[members] += amount / len(members)
    np.testing.assert_allclose(phi, closed, atol=1e-9)


def test_shapley_beyond_the_exact_limit_uses_the_closed_form(duckdb_loader) -> None:
    table = duckdb_loader(touch_table(random_rows(seed=2)))
    exact = attribute(table, models=("shapley",))
    closed = attribute(table, models=("shapley",), settings=Settings(shapley_exact_limit=2))
    assert closed.models["shapley"].value == pytest.approx(exact.models["shapley"].value)


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_markov_agrees_with_channelattribution(duckdb_loader, capsys) -> None:
    if importlib.util.find_spec("ChannelAttribution") is None:
        unavailable("ChannelAttribution is not installed (pip install accord[peers])")
    import ChannelAttribution

    rows = random_rows(seed=8, journeys=2000)
    paths = paths_of(rows)
    frame = pd.DataFrame(
        {
            "path": [" > ".join(p) for p, _ in paths],
            "conv": [int(c) for _, c in paths],
            "null": [int(not c) for _, c in paths],
        }
    )
    grouped = frame.groupby("path", as_index=False)[["conv", "null"]].sum()
    peer = ChannelAttribution.markov_model(
        grouped, "path", "conv", var_null="null", verbose=False, flg_pro=False
    )
    capsys.readouterr()
    theirs = dict(zip(peer["channel_name"], peer["total_conversions"], strict=True))
    ours = attribute(duckdb_loader(touch_table(rows)), models=("markov",))
    for channel in CHANNELS:
        assert ours.models["markov"].conversions[channel] == pytest.approx(theirs[channel], rel=0.1)
