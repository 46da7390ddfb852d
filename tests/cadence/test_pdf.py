"""Minutes as PDF, printed by the system Chromium; without it the page offers Markdown."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accord.pdf import PdfUnavailable, chromium_path, html_to_pdf
from tests.cadence.helpers import meeting_make
from tests.conftest import login


def _need_chromium() -> None:
    if not chromium_path().is_file():
        pytest.skip(f"no Chromium at {chromium_path()}: apt-get install chromium")


@pytest.mark.browser
def test_html_to_pdf_makes_a_real_pdf() -> None:
    _need_chromium()
    pdf = html_to_pdf("<h1>Minutes</h1><img src='http://example.invalid/x.png'>")
    assert pdf.startswith(b"%PDF-")
    assert pdf.rstrip().endswith(b"%%EOF")


@pytest.mark.browser
@pytest.mark.django_db
def test_the_minutes_download_as_pdf(client, cast) -> None:
    _need_chromium()
    meeting = meeting_make(cast)
    login(client, cast.rep)
    response = client.get(reverse("cadence:minutes_pdf", args=[meeting.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    expected = f'attachment; filename="minutes-2026-11-03-{meeting.pk}.pdf"'
    assert response["Content-Disposition"] == expected


def test_no_chromium_is_a_clear_error(monkeypatch) -> None:
    monkeypatch.setenv("ACCORD_CHROMIUM", "/nowhere/chromium")
    with pytest.raises(PdfUnavailable, match="not installed at /nowhere/chromium"):
        html_to_pdf("<p>x</p>")


@pytest.mark.django_db
def test_without_chromium_the_page_offers_markdown(client, cast, monkeypatch) -> None:
    monkeypatch.setenv("ACCORD_CHROMIUM", "/nowhere/chromium")
    meeting = meeting_make(cast)
    login(client, cast.marketer)
    response = client.get(reverse("cadence:minutes_pdf", args=[meeting.pk]))
    assert response.status_code == 503
    assert reverse("cadence:minutes_md", args=[meeting.pk]) in response.content.decode()
    assert "Download the minutes as Markdown instead" in response.content.decode()
