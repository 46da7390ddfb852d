"""Shared test fixtures: the cast of people, the demo company, and skip rules.

The cast mirrors the demo logins: a rep, a second rep on another team (the
outsider to the first rep's leads), a marketer, a brand manager, a liaison,
two managers, a revenue leader and an admin.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from accord.directory.models import Person, Team, TeamKind

REQUIRE_ALL = os.environ.get("ACCORD_REQUIRE_ALL") == "1"
AS_OF = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):
    """With ACCORD_REQUIRE_ALL=1 (CI), a test that skips for a missing tool fails instead."""
    outcome = yield
    report = outcome.get_result()
    if REQUIRE_ALL and report.skipped and call.when in ("setup", "call"):
        report.outcome = "failed"
        report.longrepr = f"skipped, but ACCORD_REQUIRE_ALL=1 forbids skips: {report.longrepr}"


@pytest.fixture(autouse=True)
def _fast_passwords(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class Cast:
    rep: Person
    other_rep: Person
    marketer: Person
    brand: Person
    liaison: Person
    sales_manager: Person
    marketing_manager: Person
    cro: Person
    admin: Person
    sales_team: Team
    other_team: Team


PASSWORD = "accord-test-pw"


@pytest.fixture
def cast(db) -> Cast:
    from accord.directory.services import person_create

    sales = Team.objects.create(name="Sales One", kind=TeamKind.SALES)
    other = Team.objects.create(name="Sales Two", kind=TeamKind.SALES)
    marketing = Team.objects.create(name="Marketing", kind=TeamKind.MARKETING)

    def make(username: str, role: str, team: Team | None) -> Person:
        return person_create(
            name=username.replace("-", " ").title(),
            email=f"{username}@example.com",
            role=role,
            team=team,
            username=username,
            password=PASSWORD,
        )

    manager = make("sales-manager", "sales_manager", sales)
    sales.manager = manager
    sales.save()
    mm = make("marketing-manager", "marketing_manager", marketing)
    marketing.manager = mm
    marketing.save()
    return Cast(
        rep=make("rep", "sales_rep", sales),
        other_rep=make("other-rep", "sales_rep", other),
        marketer=make("marketer", "marketer", marketing),
        brand=make("brand", "brand_manager", marketing),
        liaison=make("liaison", "marketing_liaison", marketing),
        sales_manager=manager,
        marketing_manager=mm,
        cro=make("cro", "revenue_leader", None),
        admin=make("admin", "admin", None),
        sales_team=sales,
        other_team=other,
    )


@pytest.fixture
def demo_small(db):
    """The small demo company, built fresh at a fixed date."""
    from accord.demo.build import demo_build

    return demo_build(size="small", seed=7, as_of=AS_OF)


def login(client, person: Person) -> None:
    assert person.user is not None
    client.force_login(person.user)
