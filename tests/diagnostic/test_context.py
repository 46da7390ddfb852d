from __future__ import annotations

import pytest

from accord.diagnostic.context import CLIMB_WHEN, climb_advice

pytestmark = pytest.mark.nodb


@pytest.mark.parametrize("key", [q.key for q in CLIMB_WHEN["undefined"]])
def test_from_undefined_any_pressure_is_reason_to_climb(key: str) -> None:
    advice = climb_advice("undefined", {key})
    assert advice.climb and advice.next == "defined" and len(advice.reasons) == 1


def test_from_defined_without_pressure_stay() -> None:
    advice = climb_advice("defined", set())
    assert not advice.climb and "Staying Defined" in advice.message
    assert climb_advice("defined", {"shorter_life_cycles"}).climb


def test_integration_needs_one_funnel_and_complexity_or_shared_culture() -> None:
    assert not climb_advice("aligned", {"long_complex_cycles"}).climb
    assert not climb_advice("aligned", {"one_funnel_possible"}).climb
    assert climb_advice("aligned", {"one_funnel_possible", "shared_responsibility"}).climb
    assert climb_advice("integrated", {"x"}).next is None
