"""The demo company's last full quarter: its ledger adds up to the cent and tells a story."""

from __future__ import annotations

import json
import math
from decimal import Decimal

import pytest
from typer.testing import CliRunner

from accord.metrics.demo import last_full_quarter, metrics_demo_build, tables_in_memory
from accord.metrics.ledger import ledger_compute
from accord.metrics.models import SalesCost, Target
from accord.metrics.waterfall import WaterfallError
from tests.conftest import AS_OF
from tests.metrics.test_money_tables import IBIS_WARNINGS

pytestmark = [*IBIS_WARNINGS]

LEDGER_TABLES = (
    "leads",
    "opportunities",
    "accounts",
    "segments",
    "people",
    "targets",
    "mql_commitments",
)
SEGMENTS = ("Enterprise", "Mid-Market", "SMB")


@pytest.fixture
def demo(demo_small):
    metrics_demo_build(AS_OF, seed=7)  # a no-op when the demo build already ran it


def _ledgers(measure: str = "revenue") -> dict[str | None, object]:
    """The last quarter's ledger of the company and of each segment with enough history."""
    tables = tables_in_memory(LEDGER_TABLES)
    start, end = last_full_quarter(AS_OF)
    ledgers = {}
    for segment in (None, *SEGMENTS):
        try:
            ledgers[segment] = ledger_compute(
                tables, start=start, end=end, segment=segment, measure=measure
            )
        except WaterfallError:
            assert segment is not None  # a small segment may have won nothing in a year
    return ledgers


def _adds_up(ledger) -> None:
    assert ledger.gap == ledger.target - ledger.actual
    assert sum(part.amount for part in ledger.parts) == ledger.gap
    assert all(part.amount == part.amount.quantize(Decimal("0.01")) for part in ledger.parts)


@pytest.mark.django_db
def test_the_last_quarter_adds_up_to_the_cent_and_tells_the_story(demo) -> None:
    assert Target.objects.filter(measure="revenue").count() == 3 * 27
    assert SalesCost.objects.filter(kind="salaries").exists()
    for ledger in _ledgers("pipeline").values():
        _adds_up(ledger)
    ledgers = _ledgers()
    for ledger in ledgers.values():
        _adds_up(ledger)
    # The segment that brings the most MQLs was asked for a third more than it
    # delivered, and its slow reps left leads unworked.
    story = max(SEGMENTS, key=lambda s: ledgers[s].parts[0].actual if s in ledgers else 0)
    parts = {p.key: p for p in ledgers[story].parts}
    mqls = parts["mql_volume"]
    assert mqls.amount > 0
    assert mqls.plan == pytest.approx(mqls.actual * 4 / 3, abs=0.01)
    assert parts["follow_up"].amount > 0
    assert ledgers[story].committed_mqls == math.ceil(mqls.actual * 4 / 3)


@pytest.mark.django_db
def test_accord_ledger_prints_json_and_refuses_a_period_without_target(demo) -> None:
    from accord.cli import app

    start, _ = last_full_quarter(AS_OF)
    last = f"{start.year}-{start.month + 2:02d}"
    args = ["ledger", "--from", f"{start:%Y-%m}", "--to", last, "--segment", "SMB", "--json"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert set(payload) >= {"target", "actual", "gap", "parts"}
    total = sum(Decimal(str(part["amount"])) for part in payload["parts"])
    assert total == Decimal(str(payload["gap"]))
    sides = [p["side"] for p in payload["parts"]]
    assert sides == ["marketing", "marketing", "sales", "sales", "sales"]

    result = CliRunner().invoke(app, ["ledger", "--from", "2019-01", "--to", "2019-03", "--json"])
    assert result.exit_code == 1
    assert "No revenue target for 2019-01, 2019-02, 2019-03 (the whole company)" in result.stderr
