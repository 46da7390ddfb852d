"""The monthly digest marketing reads: counts, trends, quotes and themes.

Counts compare a calendar month with the month before. Quotes: for each kind,
the note most like the others of its kind (closest to their TF-IDF centroid),
so the quote stands for the month rather than for its loudest writer.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from accord.directory.access import User
from accord.feedback.models import Feedback, FeedbackKind
from accord.feedback.queries import feedback_for_user, period_bounds, themes_in
from accord.feedback.themes import Theme, most_typical

NO_SEGMENT = "No segment"


@dataclass(frozen=True)
class Count:
    label: str
    count: int
    previous: int

    @property
    def change(self) -> int:
        return self.count - self.previous


@dataclass(frozen=True)
class Quote:
    kind: str
    text: str
    about: str
    author: str
    heard_on: date


@dataclass(frozen=True)
class Digest:
    month: date  # the first day
    total: Count
    by_kind: list[Count]
    by_segment: list[Count]
    by_competitor: list[Count]
    quotes: list[Quote]
    themes: list[Theme]
    months: list[date]  # every month with feedback, newest first

    @property
    def previous_month(self) -> date:
        return month_before(self.month)

    @property
    def is_empty(self) -> bool:
        return self.total.count == 0


def month_before(month: date) -> date:
    return (month.replace(day=1) - timedelta(days=1)).replace(day=1)


def month_end(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def months_with_feedback(notes: QuerySet[Feedback]) -> list[date]:
    stamps = notes.order_by().values_list("noted_at", flat=True)
    return sorted({s.date().replace(day=1) for s in stamps}, reverse=True)


def digest_for_user(user: User, month: date | None = None) -> Digest:
    """The digest over what ``user`` may read; the latest month with notes by default."""
    notes = feedback_for_user(user)
    months = months_with_feedback(notes)
    chosen = (month or (months[0] if months else timezone.now().date())).replace(day=1)
    return digest_build(notes, chosen, months)


def digest_build(notes: QuerySet[Feedback], month: date, months: list[date]) -> Digest:
    current = _in_month(notes, month)
    previous = _in_month(notes, month_before(month))
    return Digest(
        month=month,
        total=Count("All feedback", current.count(), previous.count()),
        by_kind=_counts(
            current, previous, "kind", dict(FeedbackKind.choices), keep=list(FeedbackKind.values)
        ),
        by_segment=_counts(current, previous, "segment__name", {None: NO_SEGMENT}),
        by_competitor=_counts(current.exclude(competitor=""), previous, "competitor", {}),
        quotes=_quotes(current),
        themes=themes_in(notes, month, month_end(month), previous=_whole(month_before(month))),
        months=months,
    )


def _whole(month: date) -> tuple[date, date]:
    return month, month_end(month)


def _in_month(notes: QuerySet[Feedback], month: date) -> QuerySet[Feedback]:
    low, high = period_bounds(month, month_end(month))
    return notes.filter(noted_at__gte=low, noted_at__lt=high)


def _counts(
    current: QuerySet[Feedback],
    previous: QuerySet[Feedback],
    field: str,
    labels: dict,
    keep: list[str] | None = None,
) -> list[Count]:
    """Counts per value this month and last; ``keep`` lists values shown even at zero."""
    now = Counter(current.values_list(field, flat=True))
    before = Counter(previous.values_list(field, flat=True))
    values = list(keep) if keep is not None else sorted(now, key=lambda v: (-now[v], str(v)))
    return [Count(str(labels.get(v, v)), now[v], before[v]) for v in values]


def _quotes(current: QuerySet[Feedback]) -> list[Quote]:
    quotes = []
    rows = list(
        current.select_related("author", "account", "opportunity", "lead").order_by(
            "noted_at", "pk"
        )
    )
    for kind, label in FeedbackKind.choices:
        notes = [n for n in rows if n.kind == kind]
        if not notes:
            continue
        note = notes[most_typical([n.text for n in notes])]
        quotes.append(
            Quote(
                kind=str(label),
                text=note.text,
                about=note.about,
                author=note.author.name if note.author else "",
                heard_on=note.noted_at.date(),
            )
        )
    return quotes
