"""Writes of field feedback: one note from the form, idempotent on its key."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from accord.crm.models import Account, Lead, Opportunity
from accord.directory.models import Person
from accord.feedback.models import Feedback, FeedbackSource


class FeedbackError(Exception):
    """A note that cannot be saved; the message says which field and why."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Target:
    """What a note is about: always an account, maybe one of its deals or leads."""

    account: Account
    opportunity: Opportunity | None = None
    lead: Lead | None = None

    @property
    def segment_id(self) -> int | None:
        if self.lead is not None and self.lead.segment_id:
            return self.lead.segment_id
        return self.account.segment_id


@dataclass(frozen=True)
class Note:
    kind: str
    text: str
    competitor: str = ""


def feedback_record(
    *,
    author: Person,
    target: Target,
    note: Note,
    key: str,
    noted_at: datetime | None = None,
    source: str = FeedbackSource.FORM,
) -> tuple[Feedback, bool]:
    """Save one note; a second call with the same ``key`` returns the first note.

    Returns the note and whether it was created now. A key already used by
    someone else is refused rather than silently answered with their note.
    """
    existing = Feedback.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return _same_author(existing, author), False
    try:
        with transaction.atomic():
            created = Feedback.objects.create(
                kind=note.kind,
                text=note.text.strip(),
                competitor=note.competitor.strip(),
                author=author,
                account=target.account,
                opportunity=target.opportunity,
                lead=target.lead,
                segment_id=target.segment_id,
                noted_at=noted_at or timezone.now(),
                source=source,
                idempotency_key=key,
            )
    except IntegrityError:  # a concurrent retry of the same submit won the race
        return _same_author(Feedback.objects.get(idempotency_key=key), author), False
    return created, True


def _same_author(existing: Feedback, author: Person) -> Feedback:
    if existing.author_id != author.pk:
        raise FeedbackError("key", "This form was already used by someone else; reload it.")
    return existing
