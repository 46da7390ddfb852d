"""The monthly digest, on a handful of notes counted by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from accord.feedback.digest import digest_for_user, month_end
from accord.feedback.models import Feedback, FeedbackKind

K = FeedbackKind


@pytest.fixture
def notes(cast, ground):
    """October: 4 notes (3 SMB, 1 Enterprise); September: 2 notes; one on Nov 1st."""
    rows = [
        # (day, kind, text, competitor, author, account)
        (date(2026, 9, 10), K.OBJECTION, "Price per seat is too high", "", cast.rep, "rep"),
        (date(2026, 9, 30), K.COMPETITOR, "Northwind showed a demo", "Northwind", cast.rep, "rep"),
        (date(2026, 10, 1), K.OBJECTION, "Price is above their budget", "", cast.rep, "rep"),
        (date(2026, 10, 15), K.OBJECTION, "Price too high for the team", "", cast.rep, "rep"),
        (date(2026, 10, 20), K.CONTENT_GAP, "No security whitepaper", "", cast.rep, "rep"),
        (
            date(2026, 10, 31),
            K.COMPETITOR,
            "Contoso undercut us",
            "Contoso",
            cast.other_rep,
            "other",
        ),
        (date(2026, 11, 1), K.NEED, "Wants onboarding help", "", cast.rep, "rep"),
    ]
    accounts = {"rep": ground.rep_account, "other": ground.other_account}
    Feedback.objects.bulk_create(
        Feedback(
            kind=kind,
            text=text,
            competitor=rival,
            author=author,
            account=accounts[which],
            segment=accounts[which].segment,
            noted_at=datetime(day.year, day.month, day.day, 23, 30, tzinfo=UTC),
            idempotency_key=f"d{i}",
        )
        for i, (day, kind, text, rival, author, which) in enumerate(rows)
    )


def counts(rows) -> dict[str, tuple[int, int, int]]:
    return {c.label: (c.count, c.previous, c.change) for c in rows}


def test_counts_and_trends_for_a_month(cast, notes) -> None:
    digest = digest_for_user(cast.marketer.user, date(2026, 10, 1))
    assert (digest.total.count, digest.total.previous, digest.total.change) == (4, 2, 2)
    kinds = counts(digest.by_kind)
    assert kinds["Objection heard"] == (2, 1, 1)
    assert kinds["Competitor met"] == (1, 1, 0)
    assert kinds["Content gap"] == (1, 0, 1)
    assert kinds["Customer need"] == (0, 0, 0)
    assert len(kinds) == 6  # every kind shows, even at zero
    assert counts(digest.by_segment) == {"SMB": (3, 2, 1), "Enterprise": (1, 0, 1)}
    assert counts(digest.by_competitor) == {"Contoso": (1, 0, 1)}
    assert digest.months == [date(2026, 11, 1), date(2026, 10, 1), date(2026, 9, 1)]
    assert digest.themes == []  # four notes are too few to cluster


def test_one_quote_per_kind_the_most_typical_one(cast, notes) -> None:
    digest = digest_for_user(cast.marketer.user, date(2026, 10, 1))
    quotes = {q.kind: q for q in digest.quotes}
    assert list(quotes) == ["Competitor met", "Objection heard", "Content gap"]
    assert quotes["Objection heard"].text == "Price is above their budget"  # first of a tie
    assert quotes["Competitor met"].author == cast.other_rep.name
    assert quotes["Content gap"].about == f"Account {cast.rep.owned_accounts.get()}"


def test_the_latest_month_is_the_default(cast, notes) -> None:
    digest = digest_for_user(cast.sales_manager.user)
    assert digest.month == date(2026, 11, 1)
    assert digest.total.count == 1 and digest.total.previous == 4


def test_a_rep_digest_covers_only_their_own_notes(cast, notes) -> None:
    digest = digest_for_user(cast.other_rep.user, date(2026, 10, 1))
    assert digest.total.count == 1
    assert counts(digest.by_competitor) == {"Contoso": (1, 0, 1)}


def test_an_empty_database_gives_an_empty_digest(cast) -> None:
    digest = digest_for_user(cast.marketer.user)
    assert digest.is_empty and digest.months == [] and digest.themes == []


def test_month_end() -> None:
    assert month_end(date(2026, 2, 1)) == date(2026, 2, 28)
    assert month_end(date(2028, 2, 1)) == date(2028, 2, 29)
    assert month_end(date(2026, 12, 1)) == date(2026, 12, 31)
