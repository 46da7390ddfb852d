"""Shared test fixtures: the cast of people, the demo company, and skip rules.

The cast mirrors the demo logins: a rep, a second rep on another team (the
outsider to the first rep's leads), a marketer, a brand manager, a liaison,
two managers, a revenue leader and an admin.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

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


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parent.parent / "test-results"


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium driven by Playwright (never a downloaded browser)."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls the
    # tests make between browser steps are still plain synchronous calls.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, request: pytest.FixtureRequest) -> Iterator[object]:
    """A fresh browser page; a screenshot of where it ended is kept under test-results/."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    browser_page = context.new_page()
    browser_page.set_default_timeout(15_000)
    yield browser_page
    SCREENSHOTS.mkdir(exist_ok=True)
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid)
    browser_page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    context.close()


def browser_login(page, base_url: str, username: str, password: str = PASSWORD) -> None:
    page.goto(f"{base_url}/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{base_url}/")
