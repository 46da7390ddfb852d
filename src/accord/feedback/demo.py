"""A year of field feedback for the demo company.

The notes come from :mod:`accord.feedback.demo_notes` (planted themes and
trends). Each is written by a sales rep about an account they own, often one
of their deals or leads, so no rep ever reports on a record they could not
see. About two notes per account (a few hundred at size small, a few thousand
at size demo), over the twelve full months before ``as_of``. Deterministic for
a given ``seed``.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.db import transaction

from accord.crm.models import Account, Lead, Opportunity
from accord.directory.models import Person
from accord.directory.roles import Role
from accord.feedback.demo_notes import PlantedNote, notes_plant
from accord.feedback.models import Feedback, FeedbackSource

NOTES_PER_ACCOUNT = 2
MAX_NOTES = 6_000
MONTHS = 12


@dataclass
class _Book:
    """What one rep owns: accounts, and their deals and leads by account."""

    accounts: list[tuple[int, int | None]]  # (account id, segment id)
    deals: dict[int, list[int]]
    leads: dict[int, list[tuple[int, int | None]]]


def feedback_demo_build(as_of: datetime, *, seed: int = 7) -> int:
    """Write the demo notes; returns how many."""
    rng = random.Random(f"feedback-{seed}")
    books = _books()
    if not books:
        return 0
    total = min(MAX_NOTES, NOTES_PER_ACCOUNT * Account.objects.count())
    first = _month_start(as_of.date(), MONTHS)
    notes = notes_plant(rng, first, MONTHS, total)
    reps = sorted(books)
    rows = [_row(rng, i, seed, note, rng.choice(reps), books) for i, note in enumerate(notes)]
    with transaction.atomic():
        Feedback.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def _month_start(today: date, months_back: int) -> date:
    month = today.replace(day=1)
    for _ in range(months_back):
        month = (month - timedelta(days=1)).replace(day=1)
    return month


def _books() -> dict[int, _Book]:
    reps = Person.objects.filter(role=Role.SALES_REP, is_active=True).values_list("pk", flat=True)
    books: dict[int, _Book] = {}
    for account_id, owner_id, segment_id in (
        Account.objects.filter(owner_id__in=list(reps))
        .order_by("pk")
        .values_list("pk", "owner_id", "segment_id")
    ):
        book = books.setdefault(owner_id, _Book([], defaultdict(list), defaultdict(list)))
        book.accounts.append((account_id, segment_id))
    for deal_id, account_id, owner_id in (
        Opportunity.objects.filter(owner_id__in=list(books))
        .order_by("pk")
        .values_list("pk", "account_id", "owner_id")
    ):
        if owner_id in books:
            books[owner_id].deals[account_id].append(deal_id)
    for lead_id, account_id, segment_id, owner_id in (
        Lead.objects.filter(owner_id__in=list(books), account__owner_id__in=list(books))
        .order_by("pk")
        .values_list("pk", "account_id", "segment_id", "owner_id")
    ):
        books[owner_id].leads[account_id].append((lead_id, segment_id))
    return books


def _row(
    rng: random.Random, i: int, seed: int, note: PlantedNote, rep: int, books: dict[int, _Book]
) -> Feedback:
    book = books[rep]
    account_id, segment_id = rng.choice(book.accounts)
    deal_id = lead_id = None
    roll = rng.random()
    if roll < 0.5 and book.deals.get(account_id):
        deal_id = rng.choice(book.deals[account_id])
    elif roll < 0.7 and book.leads.get(account_id):
        lead_id, lead_segment = rng.choice(book.leads[account_id])
        segment_id = lead_segment or segment_id
    heard = datetime.combine(note.heard_on, time(rng.randrange(8, 18), rng.randrange(60)))
    return Feedback(
        kind=note.kind,
        text=note.text,
        competitor=note.competitor,
        author_id=rep,
        account_id=account_id,
        opportunity_id=deal_id,
        lead_id=lead_id,
        segment_id=segment_id,
        noted_at=heard.replace(tzinfo=UTC),
        source=FeedbackSource.DEMO,
        idempotency_key=f"demo-{seed}-{i}",
    )
