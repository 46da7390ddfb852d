from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import timezone

from accord.inbox.models import ActionItemStatus
from accord.inbox.services import action_item_close, action_item_create
from tests.conftest import CHROMIUM, Cast, login


def test_the_report_renders_on_an_empty_database_with_helpful_words(client, cast: Cast) -> None:
    login(client, cast.cro)
    response = client.get("/report/?start=2026-07&end=2026-09")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Sales and marketing, Jul 2026 to Sep 2026" in html
    assert "No survey round has closed yet" in html
    assert "No field feedback in this period" in html
    assert "No move has been adopted yet" in html
    assert "report.css" in html


def test_the_report_lists_open_and_recently_done_action_items(client, cast: Cast) -> None:
    open_item = action_item_create(
        title="Fix the webinar hand-off", owner=cast.marketer, created_by=cast.cro
    )
    done = action_item_create(title="Agree the MQL words", owner=cast.rep, created_by=cast.cro)
    action_item_close(item=done, status=ActionItemStatus.DONE)
    login(client, cast.cro)
    today = timezone.localdate()
    html = client.get(f"/report/?start={today:%Y-%m}&end={today:%Y-%m}").content.decode()
    assert open_item.title in html
    assert "Agree the MQL words" in html
    assert "Nothing is open." not in html


def test_reps_cannot_read_the_report(client, cast: Cast) -> None:
    login(client, cast.rep)
    assert client.get("/report/").status_code == 403
    assert client.get("/report.pdf").status_code == 403


@pytest.mark.browser
def test_the_report_prints_to_a_real_pdf(client, cast: Cast) -> None:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed: apt-get install chromium")
    login(client, cast.marketing_manager)
    response = client.get("/report.pdf?start=2026-07&end=2026-09")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert b"accord-alignment-2026-07-2026-09.pdf" in response["Content-Disposition"].encode()


@pytest.mark.nodb
@pytest.mark.browser
def test_accord_report_writes_html_and_pdf_files(tmp_path: Path) -> None:
    from tests.test_cli import accord

    html = accord("report", "--format", "html", "-o", str(tmp_path / "r.html"), data_dir=tmp_path)
    assert html.returncode == 0, html.stderr
    assert "quarterly alignment report" in (tmp_path / "r.html").read_text()
    pdf = accord(
        "report",
        "--from",
        "2026-01",
        "--to",
        "2026-03",
        "-o",
        str(tmp_path / "r.pdf"),
        data_dir=tmp_path,
    )
    assert pdf.returncode == 0, pdf.stderr
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")
    bad = accord("report", "--from", "2026-13", "-o", str(tmp_path / "x.pdf"), data_dir=tmp_path)
    assert bad.returncode == 1
    assert "Use a month like 2026-07." in bad.stderr
