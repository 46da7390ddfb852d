"""The trend across rounds by theme, sales beside marketing, and its CSV download."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.urls import reverse

from accord.diagnostic import services
from accord.diagnostic.exports import spreadsheet_safe
from accord.diagnostic.models import Round
from accord.directory.models import Person, Team
from tests.conftest import Cast, login


def _round(name: str, opens_on: date, groups: list[tuple[Team, int, int]]) -> Round:
    """A round where each (team, people, answer) group answers every statement alike."""
    round_ = services.round_create(name=name, opens_on=opens_on, closes_on=date(2099, 1, 1))
    for team, count, value in groups:
        people = [
            Person.objects.create(
                name=f"{name}{team.pk}-{i}",
                email=f"{name}{team.pk}-{i}@x.test",
                role="sales_rep",
                team=team,
            )
            for i in range(count)
        ]
        for sent in services.round_invite(round=round_, people=people):
            token = sent.link.rstrip("/").rsplit("/", 1)[1]
            services.response_submit(
                token=token, answers={f"q{i}": value for i in range(1, 21)}, today=opens_on
            )
    return round_


@pytest.fixture
def two_rounds(cast: Cast) -> list[Round]:
    marketing = Team.objects.get(kind="marketing")
    return [
        # 5 sales at 40, 5 marketing at 80: overall 60 Aligned, gap +40.
        _round(
            "=cmd|' /C calc'!A0", date(2025, 11, 1), [(cast.sales_team, 5, 2), (marketing, 5, 4)]
        ),
        # 6 sales at 60, 4 marketing at 100: overall 76 Aligned; both sides hidden.
        _round("Later", date(2026, 11, 1), [(cast.sales_team, 6, 3), (marketing, 4, 5)]),
    ]


def test_trend_page_shows_each_side_until_a_side_is_too_small(
    two_rounds, cast: Cast, client
) -> None:
    login(client, cast.marketing_manager)
    html = client.get(reverse("diagnostic:trend")).content.decode()
    total = html.split('id="m-total"')[1].split("</section>")[0]
    first, later = total.split("<tr>")[2:4]
    for figure in ("60.0", "Aligned", "40.0", "80.0"):
        assert f">{figure}<" in first
    assert ">76.0<" in later and later.count(">—<") == 3  # sales, marketing, gap hidden
    assert ">100.0<" not in html  # the four marketers' score, theme by theme
    planning = html.split('id="m-planning"')[1].split("</section>")[0]
    assert ">40.0<" in planning and ">80.0<" in planning


def test_trend_csv_is_safe_in_a_spreadsheet(two_rounds, cast: Cast, client) -> None:
    login(client, cast.cro)
    response = client.get(reverse("diagnostic:trend_csv"))
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 2 * 7  # total and six themes per round
    first = rows[0]
    assert first["round"] == "'=cmd|' /C calc'!A0" and first["measure"] == "Total score"
    assert (first["score"], first["type"], first["sales"], first["marketing"]) == (
        "60.0",
        "aligned",
        "40.0",
        "80.0",
    )
    assert first["gap_marketing_minus_sales"] == "40.0"
    later = [r for r in rows if r["round"] == "Later"]
    assert all(r["sales"] == r["marketing"] == r["gap_marketing_minus_sales"] == "" for r in later)
    assert all(not r["round"].startswith(("=", "+", "-", "@")) for r in rows)


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        ("=SUM(A1)", "'=SUM(A1)"),
        ("+1", "'+1"),
        ("-2+3", "'-2+3"),
        ("@cmd", "'@cmd"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Q1 = good", "Q1 = good"),
        ("", ""),
    ],
)
def test_spreadsheet_safe(text: str, safe: str) -> None:
    assert spreadsheet_safe(text) == safe


def test_a_rep_gets_no_trend(cast: Cast, client) -> None:
    login(client, cast.rep)
    assert client.get(reverse("diagnostic:trend")).status_code == 403
    assert client.get(reverse("diagnostic:trend_csv")).status_code == 403
