"""The quarterly alignment report: one document for the joint meeting.

It gathers what both teams need to discuss in one place: where the
relationship stands and how it moved, the shared scorecard, the SLA both
sides signed, the revenue ledger, what the field is saying, the moves the
company adopted after its surveys and the action items still open. The same
data renders as a page and, through the system Chromium, as a PDF.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone

from accord.diagnostic.models import Round, RoundStatus
from accord.diagnostic.queries import TrendPoint, trend
from accord.feedback.queries import themes_for_period
from accord.feedback.themes import Theme
from accord.inbox.models import ActionItem, ActionItemStatus
from accord.web.board import Tile
from accord.web.charts import Chart
from accord.web.cockpit import Cockpit, cockpit_build
from accord.web.filters import Filters

CSS = Path(__file__).resolve().parent / "static" / "accord" / "report.css"
OPEN = (ActionItemStatus.OPEN,)


@dataclass
class Report:
    filters: Filters
    cockpit: Cockpit
    survey: list[TrendPoint]
    themes: list[Theme]
    moves: list[ActionItem]
    open_items: list[ActionItem]
    done_items: list[ActionItem]
    generated_at: object = field(default_factory=timezone.now)

    def tiles_of(self, side: str) -> list[Tile]:
        return [t for t in self.cockpit.tiles if t.side == side]

    @property
    def sla_tiles(self) -> list[Tile]:
        return [t for t in self.cockpit.tiles if t.key.startswith("sla_")]

    @property
    def charts(self) -> list[Chart]:
        return self.cockpit.charts


def report_build(filters: Filters) -> Report:
    rounds = list(Round.objects.filter(status=RoundStatus.CLOSED).order_by("opens_on", "pk"))
    moves = _moves()
    return Report(
        filters=filters,
        cockpit=cockpit_build(filters),
        survey=trend(rounds),
        themes=_themes(filters.first, filters.end),
        moves=list(moves.order_by("status", "due_on", "pk")),
        open_items=list(_items(OPEN).exclude(pk__in=moves).order_by("due_on", "pk")[:50]),
        done_items=list(_done_in(filters).exclude(pk__in=moves).order_by("completed_at")[:50]),
    )


def _themes(start: date, end: date) -> list[Theme]:
    """Feedback themes of the period; the feedback query takes both days inclusive."""
    return list(themes_for_period(start, end - timedelta(days=1)))


def _moves() -> QuerySet[ActionItem]:
    """Moves adopted from survey results: action items whose origin is a round."""
    round_type = ContentType.objects.get_for_model(Round)
    return ActionItem.objects.filter(origin_type=round_type).select_related("owner")


def _items(statuses: tuple[str, ...]) -> QuerySet[ActionItem]:
    return ActionItem.objects.filter(status__in=statuses).select_related("owner")


def _done_in(filters: Filters) -> QuerySet[ActionItem]:
    return ActionItem.objects.filter(
        status=ActionItemStatus.DONE,
        completed_at__date__gte=filters.first,
        completed_at__date__lt=filters.end,
    ).select_related("owner")


def report_html(report: Report, *, for_print: bool = False) -> str:
    """The report as one HTML document; for print the stylesheet is embedded."""
    context = {
        "report": report,
        "filters": report.filters,
        "for_print": for_print,
        "css": CSS.read_text() if for_print else "",
        "today": timezone.localdate(),
    }
    return render_to_string("web/report.html", context)


def report_pdf(report: Report) -> bytes:
    from accord.pdf import html_to_pdf

    return html_to_pdf(report_html(report, for_print=True))
