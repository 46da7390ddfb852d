"""Reads behind the shared cockpit: one page where both sides' leaders see the same numbers.

Each section is a function from the filters to charts; the metric numbers come
from the metric layer, the survey figures from the diagnostic's own summaries
(which already hide groups too small to stay anonymous).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache
from django.db.models import Count, Max

from accord.diagnostic.models import Round, RoundStatus
from accord.diagnostic.queries import round_instrument, round_summary, theme_rows, trend
from accord.directory import access
from accord.directory.roles import MANAGER_ROLES, Role
from accord.metrics.models import MetricVersion
from accord.web.board import Board, Tile
from accord.web.charts import Chart, bars_chart, lines_chart
from accord.web.filters import Filters, last_full_quarter

COCKPIT_ROLES = frozenset({*MANAGER_ROLES, Role.ADMIN})
CACHE_SECONDS = 6 * 3600


def can_see_cockpit(user: AbstractBaseUser) -> bool:
    person = access.person_for_user(user)  # type: ignore[arg-type]
    if person is None:
        return bool(getattr(user, "is_superuser", False))
    return person.role in COCKPIT_ROLES


@dataclass
class Alignment:
    """Where the company stands on the ladder, from the latest closed survey round."""

    round: Round | None = None
    type: str | None = None
    score: float | None = None
    change: str = ""


@dataclass
class Cockpit:
    filters: Filters
    alignment: Alignment
    tiles: list[Tile] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    data_time: object = None

    def chart(self, key: str) -> Chart | None:
        return next((c for c in self.charts if c.key == key), None)


def cockpit_build(filters: Filters) -> Cockpit:
    rounds = list(Round.objects.filter(status=RoundStatus.CLOSED).order_by("opens_on", "pk"))
    tiles, charts, data_time = metric_part(Board(filters))
    cockpit = Cockpit(
        filters=filters, alignment=alignment_of(rounds), tiles=tiles, data_time=data_time
    )
    cockpit.charts += [*charts, *survey_charts(rounds)]
    return cockpit


def cockpit_warm(today: date) -> None:
    """Compute the default cockpit view (last full quarter, no filters) ahead of the first look."""
    first, last = last_full_quarter(today)
    metric_part(Board(Filters(first, last)))


def metric_part(board: Board) -> tuple[list[Tile], list[Chart], object]:
    """Tiles and metric charts, kept whole per (data version, definitions, filters).

    The metric layer caches each result already; keeping the assembled part
    spares a page some thirty cache look-ups, which is what keeps the cockpit
    fast under many sessions. New data or a newly signed definition changes
    the key, so nothing stale is ever shown.
    """
    key = (
        "cockpit:"
        + hashlib.sha256(
            f"{board.source.data_version}|{definitions_fingerprint()}|"
            f"{board.filters.query_string()}".encode()
        ).hexdigest()
    )
    kept = cache.get(key)
    if kept is None:
        charts = [
            board.funnel(),
            board.conversion_by_month(),
            board.money_by_month(),
            board.sla_by_month(),
            *board.attribution(),
            board.ledger(),
        ]
        kept = (board.tiles(), charts, board.data_time())
        cache.set(key, kept, timeout=CACHE_SECONDS)
    return kept


def definitions_fingerprint() -> str:
    signed = MetricVersion.objects.aggregate(n=Count("pk"), last=Max("in_force_from"))
    return f"{signed['n']}:{signed['last']}"


def alignment_of(rounds: list[Round]) -> Alignment:
    points = trend(rounds)
    if not points:
        return Alignment()
    last = points[-1]
    return Alignment(round=last.round, type=last.type, score=last.score, change=last.change)


def survey_charts(rounds: list[Round]) -> list[Chart]:
    """Theme scores of the latest closed round, sales beside marketing; the total over rounds."""
    if not rounds:
        return [bars_chart("survey_themes", "Survey: score by theme, by side", [], {})]
    latest = rounds[-1]
    rows = theme_rows(round_summary(latest), round_instrument(latest))
    themes = bars_chart(
        "survey_themes",
        f"Survey: score by theme, by side ({latest.name})",
        [r.label for r in rows],
        {"Sales": [r.sales for r in rows], "Marketing": [r.marketing for r in rows]},
        y_title="score (0-100)",
        first_column="theme",
    )
    points = trend(rounds)
    history = lines_chart(
        "survey_trend",
        "Survey: total score by round",
        [p.round.name for p in points],
        {"Total score": [p.score for p in points]},
        y_title="score",
    )
    return [themes, history]
