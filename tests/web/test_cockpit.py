from __future__ import annotations

import pytest

from tests.conftest import Cast, login


@pytest.mark.parametrize("role", ["sales_manager", "marketing_manager", "cro", "admin"])
def test_leaders_see_the_cockpit_on_an_empty_database(client, cast: Cast, role: str) -> None:
    login(client, getattr(cast, role))
    response = client.get("/cockpit/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Shared cockpit" in html
    assert "No survey round has closed yet" in html
    assert "plotly-finance.min.js" in html


@pytest.mark.parametrize("role", ["rep", "marketer"])
def test_reps_and_marketers_use_their_home_not_the_cockpit(client, cast: Cast, role) -> None:
    login(client, getattr(cast, role))
    assert client.get("/cockpit/").status_code == 403


def test_a_bad_filter_shows_its_error_and_the_default_view(client, cast: Cast) -> None:
    login(client, cast.cro)
    html = client.get("/cockpit/?start=2026-13").content.decode()
    assert "Use a month like 2026-07." in html
    assert 'aria-invalid="true"' in html


def test_htmx_requests_get_only_the_board(client, cast: Cast) -> None:
    login(client, cast.cro)
    html = client.get("/cockpit/?start=2026-01&end=2026-03", HTTP_HX_REQUEST="true")
    text = html.content.decode()
    assert text.lstrip().startswith('<div id="board">')
    assert "Jan 2026 to Mar 2026" in text


def test_an_unknown_chart_csv_is_404(client, cast: Cast) -> None:
    login(client, cast.cro)
    assert client.get("/cockpit/nothing.csv").status_code == 404


def test_only_leaders_see_the_cockpit_in_the_navigation(client, cast: Cast) -> None:
    login(client, cast.marketing_manager)
    assert 'href="/cockpit/"' in client.get("/").content.decode()
    login(client, cast.rep)
    assert 'href="/cockpit/"' not in client.get("/").content.decode()


def test_a_ledger_that_cannot_be_planned_says_why_instead_of_failing(cast: Cast) -> None:
    from datetime import date

    from accord.directory.models import Segment
    from accord.metrics.services import target_set
    from accord.web.board import Board
    from accord.web.filters import Filters

    segment = Segment.objects.create(name="Enterprise")
    for month in (7, 8, 9):
        target_set(
            month=date(2026, month, 1), segment=segment, measure="revenue", amount=1000, by=cast.cro
        )
    chart = Board(Filters(date(2026, 7, 1), date(2026, 9, 1), segment=segment)).ledger()
    assert chart.empty
    assert "Not enough history to plan from" in chart.note


def _won(amount: int, account) -> None:
    from datetime import UTC, datetime

    from accord.crm.models import Opportunity

    closed = datetime(2026, 8, 10, tzinfo=UTC)
    Opportunity.objects.create(
        account=account,
        name=f"Deal {amount}",
        amount=amount,
        amount_company=amount,
        stage="Closed Won",
        is_closed=True,
        is_won=True,
        closed_at=closed,
        created_at=datetime(2026, 6, 1, tzinfo=UTC),
    )


def test_the_kept_cockpit_follows_new_data_and_never_shows_stale_numbers(cast: Cast) -> None:
    from datetime import UTC, date, datetime

    from accord.crm.models import Account
    from accord.metrics.snapshot import snapshot_take
    from accord.web.cockpit import cockpit_build
    from accord.web.filters import Filters

    account = Account.objects.create(name="Acme", created_at=datetime(2026, 1, 5, tzinfo=UTC))
    filters = Filters(date(2026, 7, 1), date(2026, 9, 1))
    _won(1000, account)
    snapshot_take()

    def revenue() -> float:
        tiles = {t.key: t for t in cockpit_build(filters).tiles}
        return tiles["revenue_won"].value

    assert revenue() == 1000
    assert revenue() == 1000
    _won(500, account)
    snapshot_take()
    assert revenue() == 1500


def test_a_new_snapshot_warms_the_default_cockpit_view(cast: Cast, monkeypatch) -> None:
    from datetime import UTC, date, datetime

    from django.core.cache import cache

    from accord.crm.models import Account
    from accord.metrics.tasks import WARMERS, snapshot_refresh
    from accord.web import cockpit
    from accord.web.filters import Filters

    assert cockpit.cockpit_warm in WARMERS
    account = Account.objects.create(name="Acme", created_at=datetime(2026, 1, 5, tzinfo=UTC))
    _won(700, account)
    cache.clear()
    snapshot_refresh(datetime(2026, 11, 23, 12, tzinfo=UTC))
    calls = []
    original = cockpit.Board.tiles
    monkeypatch.setattr(cockpit.Board, "tiles", lambda self: calls.append(1) or original(self))
    board = cockpit.cockpit_build(Filters(date(2026, 7, 1), date(2026, 9, 1)))
    assert calls == []  # served from what the refresh computed
    assert {t.key: t.value for t in board.tiles}["revenue_won"] == 700
