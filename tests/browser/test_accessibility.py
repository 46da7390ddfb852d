"""Accessibility in real Chromium: axe-core's WCAG 2 A/AA rules on the main pages,
reps' pages on a phone-sized screen, and the keyboard's first stop.

axe-core (MPL-2.0, vendored under tests/browser/vendor, used by tests only) is
injected with the page's CSP bypassed for the test context alone.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from accord.demo.logins import DEMO_PASSWORD
from tests.conftest import CHROMIUM, SCREENSHOTS, browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PAGES = {
    "rep": ["/", "/funnel/", "/feedback/new/", "/playbook/collateral/", "/meetings/"],
    "marketer": ["/", "/funnel/mqls/", "/feedback/"],
    "cro": ["/cockpit/", "/metrics/", "/diagnostic/", "/playbook/", "/people/", "/inbox/"],
}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def context(chromium):
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed")
    ctx = chromium.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    yield ctx
    ctx.close()


def _violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        """async (tags) => {
            const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
            return r.violations.map(v => `${v.id} (${v.impact}): ${v.nodes.length} x ` +
                v.nodes.slice(0, 2).map(n => n.target.join(' ')).join(', '));
        }""",
        WCAG_AA,
    )
    return list(found)


@pytest.mark.parametrize("username", sorted(PAGES))
def test_main_pages_pass_wcag_aa_checks(context, live_server, demo_small, username) -> None:
    page = context.new_page()
    page.set_default_timeout(120_000)
    browser_login(page, live_server.url, username, DEMO_PASSWORD)
    problems = {}
    for path in PAGES[username]:
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
        if found := _violations(page):
            problems[path] = found
    assert not problems, problems


def test_a_rep_works_on_a_phone_without_sideways_scrolling(context, live_server, demo_small):
    page = context.new_page()
    page.set_viewport_size(PHONE)
    browser_login(page, live_server.url, "rep", DEMO_PASSWORD)
    for path in ("/", "/funnel/", "/feedback/new/"):
        page.goto(f"{live_server.url}{path}")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        SCREENSHOTS.mkdir(exist_ok=True)
        name = path.strip("/").replace("/", "_") or "home"
        page.screenshot(path=str(SCREENSHOTS / f"phone_rep_{name}.png"), full_page=True)
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px on a phone"


def test_the_first_tab_stop_skips_to_the_content(context, live_server, demo_small) -> None:
    page = context.new_page()
    browser_login(page, live_server.url, "rep", DEMO_PASSWORD)
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to content"
    page.keyboard.press("Enter")
    assert page.url.endswith("#main")
