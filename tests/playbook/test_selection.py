"""Key accounts are picked from planted data; the expected ranking is computed by hand.

Score = open pipeline + won in the last 12 months + employees times $100.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from accord.directory.models import Segment
from accord.playbook.plans import MANAGERS_ONLY, PlanError, override_set
from accord.playbook.selection import accounts_scored, is_key_account, key_accounts
from tests.playbook.conftest import NOW, account, deal


def _plant(cast) -> dict[str, object]:
    smb = Segment.objects.create(name="SMB", slug="smb")
    mid = Segment.objects.create(name="Mid-Market", slug="mid-market")
    a = {
        # SMB
        "alpha": account("Alpha", smb, employees=50),  # 5,000 + open 20,000 = 25,000
        "bravo": account("Bravo", smb, employees=10),  # 1,000 + won 30,000 = 31,000
        "charlie": account("Charlie", smb, employees=200),  # 20,000 + won 2y ago 0 = 20,000
        "delta": account("Delta", smb, employees=0),  # open 8,000 + lost 50,000 → 8,000
        "echo": account("Echo", smb, employees=80),  # 8,000: tie with Delta, name decides
        # Mid-Market
        "golf": account("Golf", mid, employees=1000),  # 100,000
        "hotel": account("Hotel", mid, employees=100),  # 10,000 + 2 open 60,000 = 70,000
        "nowhere": account("Nowhere", None, employees=9999),  # no segment: never chosen
    }
    deal(a["alpha"], "20000")
    deal(a["bravo"], "30000", won=True, closed_at=NOW - timedelta(days=200))
    deal(a["charlie"], "90000", won=True, closed_at=NOW - timedelta(days=400))
    deal(a["delta"], "8000")
    deal(a["delta"], "50000", lost=True)
    deal(a["hotel"], "25000")
    deal(a["hotel"], "35000")
    return a


def _names(chosen, slug: str) -> list[str]:
    return [s.account.name for seg, items in chosen.items() if seg.slug == slug for s in items]


def test_scores_add_pipeline_won_revenue_and_potential(cast) -> None:
    _plant(cast)
    scores = {s.account.name: s for s in accounts_scored(as_of=NOW)}
    assert "Nowhere" not in scores
    assert scores["Alpha"].open_pipeline == 20000 and scores["Alpha"].score == 25000
    assert scores["Bravo"].won_last_year == 30000 and scores["Bravo"].score == 31000
    assert scores["Charlie"].won_last_year == 0 and scores["Charlie"].score == 20000
    assert scores["Delta"].score == 8000 and scores["Echo"].score == 8000
    assert scores["Hotel"].open_pipeline == 60000 and scores["Hotel"].score == 70000


def test_top_three_per_segment_in_score_order(cast) -> None:
    _plant(cast)
    chosen = key_accounts(top=3, as_of=NOW)
    assert _names(chosen, "smb") == ["Bravo", "Alpha", "Charlie"]
    assert _names(chosen, "mid-market") == ["Golf", "Hotel"]
    top4 = key_accounts(top=4, as_of=NOW)
    assert _names(top4, "smb") == ["Bravo", "Alpha", "Charlie", "Delta"]  # D before E


def test_pins_take_a_slot_and_exclusions_stay_out(cast) -> None:
    planted = _plant(cast)
    override_set(account=planted["echo"], include=True, by=cast.sales_manager)
    override_set(account=planted["bravo"], include=False, by=cast.sales_manager)
    chosen = key_accounts(top=3, as_of=NOW)
    # Echo pinned (8,000) and shown in score order; Bravo out; two best of the rest
    assert _names(chosen, "smb") == ["Alpha", "Charlie", "Echo"]
    assert is_key_account(planted["echo"], top=3)
    assert not is_key_account(planted["bravo"], top=3)
    override_set(account=planted["bravo"], include=None, by=cast.sales_manager)
    assert _names(key_accounts(top=3, as_of=NOW), "smb") == ["Bravo", "Alpha", "Echo"]


def test_only_managers_correct_the_choice(cast) -> None:
    planted = _plant(cast)
    with pytest.raises(PlanError, match=re.escape(MANAGERS_ONLY)):
        override_set(account=planted["echo"], include=True, by=cast.rep)
