"""Playbook fixtures: a small planted company around the shared cast.

One segment (Enterprise, with the liaison) and a handful of accounts whose
scores are easy to compute by hand; deals in US dollars so amounts need no rate.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from accord.crm.models import Account, Opportunity
from accord.directory.models import Segment
from accord.playbook.rules import default_rules_install
from tests.conftest import Cast

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


@dataclass
class World:
    cast: Cast
    enterprise: Segment
    accounts: list[Account]


def account(name: str, segment: Segment | None, *, employees: int = 0, owner=None) -> Account:
    return Account.objects.create(
        name=name, segment=segment, employees=employees, owner=owner, created_at=NOW
    )


def deal(
    acct: Account,
    amount: str,
    *,
    stage: str = "Proposal",
    won: bool = False,
    lost: bool = False,
    closed_at: datetime | None = None,
    owner=None,
) -> Opportunity:
    closed = won or lost
    return Opportunity.objects.create(
        account=acct,
        name=f"{acct.name} deal {amount}",
        amount=Decimal(amount),
        amount_company=Decimal(amount),
        currency="USD",
        stage="Closed Won" if won else "Closed Lost" if lost else stage,
        is_closed=closed,
        is_won=won,
        closed_at=closed_at or (NOW - timedelta(days=30) if closed else None),
        owner=owner,
        created_at=NOW - timedelta(days=90),
    )


@pytest.fixture
def world(cast: Cast) -> World:
    enterprise = Segment.objects.create(name="Enterprise", slug="enterprise", liaison=cast.liaison)
    accounts = [
        account(f"Acme {i:02d}", enterprise, employees=100 * i, owner=cast.rep) for i in range(12)
    ]
    default_rules_install()
    return World(cast, enterprise, accounts)
