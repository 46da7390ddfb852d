"""Print HTML to PDF with the system Chromium, driven by Playwright.

Accord never downloads a browser: it uses the Chromium the machine has
(``ACCORD_CHROMIUM``, default ``/usr/bin/chromium``). Without one, callers
get ``PdfUnavailable`` and offer another format instead. The page is printed
offline: every network request the HTML would make is refused.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from accord.conf import env_str

DEFAULT_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)
TIMEOUT_MS = 30_000


class PdfUnavailable(RuntimeError):
    """No PDF can be made here (no Chromium, or it would not start)."""


def chromium_path() -> Path:
    return Path(env_str("ACCORD_CHROMIUM", DEFAULT_CHROMIUM))


def _print(html: str, executable: Path) -> bytes:
    from playwright.sync_api import Error, sync_playwright

    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(executable), headless=True, args=list(CHROMIUM_FLAGS)
            )
            try:
                page = browser.new_page()
                page.set_default_timeout(TIMEOUT_MS)
                page.route("**/*", lambda route: route.abort())
                page.set_content(html, wait_until="load")
                return page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
            finally:
                browser.close()
    except Error as exc:
        raise PdfUnavailable(f"Chromium at {executable} could not print the page: {exc}") from exc


def html_to_pdf(html: str) -> bytes:
    """The PDF bytes of ``html``; raises ``PdfUnavailable`` when Chromium is missing.

    Playwright's sync API refuses to run inside a thread that already has an
    event loop (an async server, a test driving a browser), so printing runs
    in a short-lived thread of its own.
    """
    executable = chromium_path()
    if not executable.is_file():
        raise PdfUnavailable(
            f"Chromium is not installed at {executable}; install it or point ACCORD_CHROMIUM at it."
        )
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="accord-pdf") as pool:
        return pool.submit(_print, html, executable).result()
