"""Invariants checked over many generated cases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.funnel.business_hours import add_business_hours, business_hours_between
from accord.funnel.routing import pick_least_loaded
from accord.funnel.scoring import DEFAULT_RULES, Facts, score_compute

pytestmark = pytest.mark.nodb
KINDS = st.sampled_from(["form_fill", "webinar", "email_click", "web_visit", "call"])


@settings(deadline=None)  # a busy shared machine can pause any example past 200 ms
@given(st.lists(st.integers(1, 20), min_size=1, max_size=6), st.integers(1, 300))
def test_round_robin_shares_follow_capacity(capacities: list[int], leads: int) -> None:
    loads = [0] * len(capacities)
    for _ in range(leads):
        chosen = pick_least_loaded(
            [(i, load, cap) for i, (load, cap) in enumerate(zip(loads, capacities, strict=True))]
        )
        assert chosen is not None
        loads[chosen] += 1
    # the lowest-(load + 1)/capacity rule never leaves anyone below their whole share
    total = sum(capacities)
    for load, capacity in zip(loads, capacities, strict=True):
        share = leads * capacity / total
        assert int(share) <= load < share + len(capacities)


@given(
    st.lists(st.tuples(KINDS, st.integers(0, 400)), max_size=12),
    st.tuples(KINDS, st.integers(0, 400)),
)
def test_another_touch_never_lowers_the_score(touches, extra) -> None:
    at = datetime(2026, 11, 23, tzinfo=UTC)
    as_touches = [(k, at - timedelta(days=d)) for k, d in touches]
    before = score_compute(DEFAULT_RULES, Facts(), as_touches, at)
    after = score_compute(
        DEFAULT_RULES, Facts(), [*as_touches, (extra[0], at - timedelta(days=extra[1]))], at
    )
    assert after.total >= before.total - 1  # each fired rule is rounded to 0.1 point


@settings(max_examples=60)
@given(
    st.datetimes(
        min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 31), timezones=st.just(UTC)
    ),
    st.floats(0, 80),
    st.sampled_from(["UTC", "America/New_York", "Europe/Berlin", "Asia/Kolkata"]),
)
def test_a_deadline_is_exactly_that_many_working_hours_away(start, hours, zone) -> None:
    due = add_business_hours(start, hours, time_zone=zone)
    assert due >= start
    assert business_hours_between(start, due, time_zone=zone) == pytest.approx(hours, abs=1e-6)
