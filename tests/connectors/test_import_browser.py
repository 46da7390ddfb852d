"""A RevOps manager imports a Salesforce lead export in real Chromium, no terminal."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from accord.crm.models import Lead, SourceUser
from tests.conftest import Cast, browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
LEADS = Path(__file__).parent / "fixtures" / "salesforce_leads_owners.csv"


def test_a_manager_uploads_previews_dry_runs_applies_and_gets_the_errors(
    page, live_server, cast: Cast, settings, tmp_path: Path
) -> None:
    settings.DATA_DIR = tmp_path / "data"
    # The live server's first request loads every app's views; on a busy shared
    # machine that alone can pass the fixture's 15 s.
    page.set_default_timeout(90_000)
    SourceUser.objects.create(source="salesforce", external_id="0055g00000DnRys", person=cast.rep)
    browser_login(page, live_server.url, "marketing-manager")
    page.goto(f"{live_server.url}/import/")
    page.get_by_label("Export file").set_input_files(str(LEADS))
    page.get_by_role("button", name="Upload and preview").click()

    assert page.locator("#detected").inner_text() == "Salesforce Lead"
    mapping = page.get_by_role("table", name="How each column is read")
    assert "OwnerId" in mapping.inner_text()
    assert "Invalid: Email: not an e-mail address: 'lena.berg(at)initech'" in page.content()

    page.get_by_role("button", name="Dry run").click()
    counts = page.locator("#counts tbody tr").inner_text().split()
    assert counts == ["3", "2", "0", "0", "1", "1"]  # read, new, updated, same, bad, warned
    assert Lead.objects.count() == 0

    page.get_by_label("Apply the valid rows and skip the invalid ones").check()
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url(f"{live_server.url}/import/runs/*/")
    assert page.locator("#counts tbody tr").inner_text().split() == ["3", "2", "0", "0", "1", "1"]
    assert Lead.objects.get(external_id="00Q5g00000uVwXyEAK").owner_id == cast.rep.pk

    page.get_by_role("link", name="The upload, its problems and error file").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the error file (CSV)").click()
    assert download.value.suggested_filename == "salesforce_leads_owners.errors.csv"
    with open(download.value.path(), encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert [(r[1], r[2], r[4]) for r in rows[1:]] == [
        ("3", "OwnerId", "warning"),
        ("4", "Email", "error"),
    ]
