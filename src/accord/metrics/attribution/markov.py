"""Markov chain removal effects from aggregated transition counts (numpy only)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MAX_STATES = 5_000


@dataclass(frozen=True)
class Transitions:
    """Touch counts by (state, next key code or -1 at the journey's end, converted)."""

    state: np.ndarray
    next_code: np.ndarray
    converted: np.ndarray
    touches: np.ndarray


def state_next(state: np.ndarray, code: np.ndarray, *, order: int, base: int) -> np.ndarray:
    """The state after moving to ``code``: drop the oldest key if ``order`` are held."""
    return (state * base) % base**order + code + 1


def state_digits(states: np.ndarray, *, order: int, base: int) -> np.ndarray:
    """Key codes held by each state (columns), -1 where a state holds fewer than ``order``."""
    digits = np.stack([(states // base**i) % base for i in range(order)], axis=1)
    return digits - 1


@dataclass(frozen=True)
class Chain:
    """An absorbing chain over observed states; absorbing in conversion or in the null state."""

    states: np.ndarray
    to_state: np.ndarray
    to_conversion: np.ndarray
    start: np.ndarray

    def conversion_probability(self, keep: np.ndarray | None = None) -> float:
        """P(reach conversion from the start), with states outside ``keep`` made absorbing null."""
        if self.start.sum() == 0:
            return 0.0
        keep = np.ones(len(self.states), dtype=bool) if keep is None else keep
        q = self.to_state[np.ix_(keep, keep)]
        x = np.linalg.solve(np.eye(int(keep.sum())) - q, self.to_conversion[keep])
        return float(self.start[keep] @ x / self.start.sum())


def chain_build(t: Transitions, *, order: int, base: int) -> Chain:
    moving = t.next_code >= 0
    target = state_next(t.state[moving], t.next_code[moving], order=order, base=base)
    states = np.unique(np.concatenate([t.state, target]))
    if len(states) > MAX_STATES:
        raise ValueError(
            f"Markov order {order} gives {len(states)} states (limit {MAX_STATES}); "
            "use a lower order"
        )
    src = np.searchsorted(states, t.state)
    m = len(states)
    counts = np.zeros((m, m))
    np.add.at(counts, (src[moving], np.searchsorted(states, target)), t.touches[moving])
    conversions = np.zeros(m)
    ends = ~moving
    np.add.at(conversions, src[ends & t.converted], t.touches[ends & t.converted])
    visits = np.zeros(m)
    np.add.at(visits, src, t.touches)
    start = visits - counts.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        scale = np.where(visits > 0, 1.0 / visits, 0.0)
    return Chain(
        states=states,
        to_state=counts * scale[:, None],
        to_conversion=conversions * scale,
        start=start,
    )


def removal_effects(t: Transitions, *, n_keys: int, order: int = 1) -> np.ndarray:
    """Relative drop in conversion probability when each key's states lead nowhere."""
    base = n_keys + 1
    chain = chain_build(t, order=order, base=base)
    full = chain.conversion_probability()
    effects = np.zeros(n_keys)
    if full <= 0:
        return effects
    digits = state_digits(chain.states, order=order, base=base)
    for code in range(n_keys):
        keep = ~(digits == code).any(axis=1)
        effects[code] = (full - chain.conversion_probability(keep)) / full
    return effects


def removal_credit(effects: np.ndarray, total: float) -> np.ndarray:
    """Share of ``total`` per key in proportion to its removal effect."""
    weight = effects.sum()
    if weight <= 0:
        return np.zeros_like(effects)
    return effects / weight * total
