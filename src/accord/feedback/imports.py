"""Import call reports and notes from CSV, all or nothing.

Columns (header names, any order, case-insensitive; docs/feedback.md):
``date`` (YYYY-MM-DD), ``author_email``, ``account`` and/or ``opportunity``
(external id or exact name), ``kind`` (a kind's code or label), ``text``, and
optionally ``competitor``. Every row is checked first; one bad row and nothing
is written, and the report names each bad row by its line and says why. Each
row's idempotency key is a digest of its content, so importing the same file
again (or the same rows in another order) adds nothing.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import TypeVar

from django.db import transaction
from django.utils import timezone

from accord.crm.models import Account, Opportunity
from accord.directory.access import opportunities_for_user
from accord.directory.models import Person
from accord.feedback.models import TEXT_MAX, Feedback, FeedbackKind, FeedbackSource

T = TypeVar("T")
Fail = Callable[[str, str], None]
REQUIRED = ("date", "author_email", "kind", "text")
OPTIONAL = ("account", "opportunity", "competitor")
KIND_ALIASES = {
    "win": FeedbackKind.WIN_LOSS,
    "loss": FeedbackKind.WIN_LOSS,
    "win/loss": FeedbackKind.WIN_LOSS,
    "win/loss reason": FeedbackKind.WIN_LOSS,
    "competitor": FeedbackKind.COMPETITOR,
    "objection": FeedbackKind.OBJECTION,
    "customer need": FeedbackKind.NEED,
    "need": FeedbackKind.NEED,
    "content gap": FeedbackKind.CONTENT_GAP,
    "product request": FeedbackKind.PRODUCT_REQUEST,
    "feature request": FeedbackKind.PRODUCT_REQUEST,
}
for _code, _label in FeedbackKind.choices:
    KIND_ALIASES[_code] = FeedbackKind(_code)
    KIND_ALIASES[str(_label).lower()] = FeedbackKind(_code)


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}, {self.column}: {self.reason}"


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def summary(self) -> str:
        if self.errors:
            return f"{len(self.errors)} problem(s) in {self.rows} rows; nothing was imported."
        verb = "would add" if self.dry_run else "added"
        return f"{self.rows} rows: {verb} {self.created}, {self.unchanged} already there."


class _Lookup:
    """Accounts, deals and people by the ways a call report names them."""

    def __init__(self) -> None:
        self.accounts_by_id: dict[str, Account] = {}
        self.accounts_by_name: dict[str, list[Account]] = {}
        self.accounts_by_pk: dict[int, Account] = {}
        for account in Account.objects.only("pk", "name", "external_id", "segment_id"):
            if account.external_id:
                self.accounts_by_id[account.external_id] = account
            self.accounts_by_name.setdefault(account.name.casefold(), []).append(account)
            self.accounts_by_pk[account.pk] = account
        self.deals_by_id: dict[str, Opportunity] = {}
        self.deals_by_name: dict[str, list[Opportunity]] = {}
        for deal in Opportunity.objects.only("pk", "name", "external_id", "account_id"):
            if deal.external_id:
                self.deals_by_id[deal.external_id] = deal
            self.deals_by_name.setdefault(deal.name.casefold(), []).append(deal)
        self.people = {p.email.casefold(): p for p in Person.objects.select_related("user").all()}
        self._visible: dict[int, set[int]] = {}

    def one(self, by_id: dict[str, T], by_name: dict[str, list[T]], value: str, what: str) -> T:
        if value in by_id:
            return by_id[value]
        found = by_name.get(value.casefold(), [])
        if len(found) == 1:
            return found[0]
        if found:
            raise ValueError(f"{len(found)} {what}s are named {value!r}; use the external id")
        raise ValueError(f"no {what} with external id or name {value!r}")

    def deal_visible(self, person: Person, deal: Opportunity) -> bool:
        """Reps can only report on deals they could see in Accord (when they log in)."""
        if person.user is None:
            return True
        if person.pk not in self._visible:
            self._visible[person.pk] = set(
                opportunities_for_user(person.user).values_list("pk", flat=True)
            )
        return deal.pk in self._visible[person.pk]


def feedback_import(rows: Iterable[str] | io.TextIOBase, *, dry_run: bool = False) -> ImportReport:
    """Check every row, then write all of them in one transaction (or none)."""
    report = ImportReport(dry_run=dry_run)
    reader = csv.DictReader(rows)
    header = ["_".join(h.strip().lower().split()) for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED if c not in header]
    if missing or not ({"account", "opportunity"} & set(header)):
        need = ", ".join(missing) or "account or opportunity"
        report.errors.append(RowError(1, "header", f"missing column(s): {need}"))
        return report
    reader.fieldnames = header
    lookup = _Lookup()
    pending: dict[str, Feedback] = {}
    for raw in reader:
        report.rows += 1
        line = reader.line_num
        note = _row(line, raw, lookup, report.errors)
        if note is not None:
            pending.setdefault(note.idempotency_key, note)
    if report.errors:
        return report
    existing = set(
        Feedback.objects.filter(idempotency_key__in=list(pending)).values_list(
            "idempotency_key", flat=True
        )
    )
    new = [note for key, note in pending.items() if key not in existing]
    report.created, report.unchanged = len(new), report.rows - len(new)
    if not dry_run and new:
        with transaction.atomic():
            Feedback.objects.bulk_create(new, batch_size=500, ignore_conflicts=True)
    return report


def _cell(raw: dict[str, str | None], column: str) -> str:
    value = raw.get(column)
    return value.strip() if isinstance(value, str) else ""


def _row(
    line: int, raw: dict[str, str | None], lookup: _Lookup, errors: list[RowError]
) -> Feedback | None:
    before = len(errors)

    def fail(column: str, reason: str) -> None:
        errors.append(RowError(line, column, reason))

    heard_on = _date(_cell(raw, "date"), fail)
    author = lookup.people.get(_cell(raw, "author_email").casefold())
    if author is None:
        fail("author_email", f"no person with e-mail {_cell(raw, 'author_email')!r}")
    kind = KIND_ALIASES.get(_cell(raw, "kind").lower())
    if kind is None:
        fail("kind", f"unknown kind {_cell(raw, 'kind')!r}; use one of: {_kinds()}")
    text = " ".join(_cell(raw, "text").split())
    if not text:
        fail("text", "empty; write what was heard")
    elif len(text) > TEXT_MAX:
        fail("text", f"{len(text)} characters; the limit is {TEXT_MAX}")
    competitor = _cell(raw, "competitor")
    if len(competitor) > 80:
        fail("competitor", "longer than 80 characters")
    account, deal = _target(raw, lookup, fail)
    if deal is not None and author is not None and not lookup.deal_visible(author, deal):
        fail("opportunity", f"{author.email} cannot see this opportunity")
    if len(errors) > before or heard_on is None or account is None:
        return None
    return Feedback(
        kind=kind,
        text=text,
        competitor=competitor,
        author=author,
        account=account,
        opportunity=deal,
        segment_id=account.segment_id,
        noted_at=datetime.combine(heard_on, time(12), tzinfo=UTC),
        source=FeedbackSource.IMPORT,
        idempotency_key=_key(heard_on, author, account, deal, kind, text, competitor),
    )


def _kinds() -> str:
    return ", ".join(code for code, _ in FeedbackKind.choices)


def _date(value: str, fail: Fail) -> date | None:
    try:
        heard_on = date.fromisoformat(value)
    except ValueError:
        fail("date", f"{value!r} is not a date like 2026-03-31")
        return None
    if heard_on > timezone.now().date():
        fail("date", f"{heard_on} is in the future")
        return None
    return heard_on


def _target(
    raw: dict[str, str | None], lookup: _Lookup, fail: Fail
) -> tuple[Account | None, Opportunity | None]:
    account_name, deal_name = _cell(raw, "account"), _cell(raw, "opportunity")
    if not account_name and not deal_name:
        fail("account", "give the account or the opportunity the note is about")
        return None, None
    account = deal = None
    try:
        if deal_name:
            deal = lookup.one(lookup.deals_by_id, lookup.deals_by_name, deal_name, "opportunity")
        if account_name:
            account = lookup.one(
                lookup.accounts_by_id, lookup.accounts_by_name, account_name, "account"
            )
    except ValueError as exc:
        fail("opportunity" if deal_name and deal is None else "account", str(exc))
        return None, None
    if deal is not None:
        if account is not None and deal.account_id != account.pk:
            fail("opportunity", f"{deal.name!r} belongs to another account")
            return None, None
        account = account or lookup.accounts_by_pk[deal.account_id]
    return account, deal


def _key(*parts: object) -> str:
    """The same row always gives the same key, whatever file or line it came from."""
    text = "\x1f".join(
        str(getattr(p, "pk", p)) if p is not None else "" for p in ("import", *parts)
    )
    return hashlib.sha256(text.encode()).hexdigest()
