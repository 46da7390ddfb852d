"""Exact Shapley values of the "journeys covered by a channel set" game (numpy only)."""

from __future__ import annotations

from math import factorial

import numpy as np


def coverage_game(masks: np.ndarray, amounts: np.ndarray, n_players: int) -> np.ndarray:
    """v(S) for every subset S: the amount of journeys whose key set lies inside S.

    Counts per exact mask, then a subset-sum (zeta) transform, one player at a time.
    """
    v = np.zeros(1 << n_players)
    np.add.at(v, masks, amounts)
    for player in range(n_players):
        halves = v.reshape(-1, 2, 1 << player)
        halves[:, 1, :] += halves[:, 0, :]
    return v


def shapley_values(v: np.ndarray, n_players: int) -> np.ndarray:
    """phi_i = sum over S without i of |S|!(n-|S|-1)!/n! * (v(S+i) - v(S))."""
    if n_players == 0:
        return np.zeros(0)
    sizes = np.zeros(1 << n_players, dtype=np.int64)
    for player in range(n_players):
        sizes.reshape(-1, 2, 1 << player)[:, 1, :] += 1
    n_fact = factorial(n_players)
    coef = np.array(
        [factorial(s) * factorial(n_players - s - 1) / n_fact for s in range(n_players)]
    )
    phi = np.zeros(n_players)
    for player in range(n_players):
        without = v.reshape(-1, 2, 1 << player)[:, 0, :]
        gain = v.reshape(-1, 2, 1 << player)[:, 1, :] - without
        weight = coef[sizes.reshape(-1, 2, 1 << player)[:, 0, :]]
        phi[player] = float((weight * gain).sum())
    return phi
