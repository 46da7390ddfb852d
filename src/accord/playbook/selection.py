"""Which accounts are each segment's key accounts: chosen from data, corrected by hand.

Score (company currency) = open pipeline
                         + revenue won in the last 12 months
                         + potential, i.e. employees times ``POTENTIAL_PER_EMPLOYEE``.

The top N (default 10) of each segment by score are its key accounts. A manager's
pin keeps an account in whatever its score (pins take their slots first); an
exclusion keeps it out. Ties go to the account name, then the id, so the choice is
stable.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import DecimalField, F, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from accord.crm.models import Account
from accord.directory.models import Segment

TOP_N = 10
POTENTIAL_PER_EMPLOYEE = Decimal(100)
WON_WINDOW = timedelta(days=365)
ZERO = Value(Decimal(0), output_field=DecimalField(max_digits=18, decimal_places=2))


@dataclass(frozen=True)
class ScoredAccount:
    account: Account
    open_pipeline: Decimal
    won_last_year: Decimal
    potential: Decimal
    pinned: bool = False

    @property
    def score(self) -> Decimal:
        return self.open_pipeline + self.won_last_year + self.potential


def _scored(accounts: list[Account]) -> list[ScoredAccount]:
    return [
        ScoredAccount(
            account=a,
            open_pipeline=Decimal(a.open_pipeline),
            won_last_year=Decimal(a.won_last_year),
            potential=(a.employees or 0) * POTENTIAL_PER_EMPLOYEE,
            pinned=getattr(a, "override_include", None) is True,
        )
        for a in accounts
    ]


def accounts_scored(
    *, segment: Segment | None = None, as_of: datetime | None = None
) -> list[ScoredAccount]:
    """Every account with a segment and its score parts, best first within each segment."""
    since = (as_of or timezone.now()) - WON_WINDOW
    rows = Account.objects.filter(segment__isnull=False).select_related("segment", "owner")
    if segment is not None:
        rows = rows.filter(segment=segment)
    rows = rows.annotate(
        open_pipeline=Coalesce(
            Sum("opportunities__amount_company", filter=Q(opportunities__is_closed=False)), ZERO
        ),
        won_last_year=Coalesce(
            Sum(
                "opportunities__amount_company",
                filter=Q(opportunities__is_won=True, opportunities__closed_at__gte=since),
            ),
            ZERO,
        ),
        override_include=F("key_account_override__include"),
    )
    scored = _scored(list(rows))
    scored.sort(key=lambda s: (s.account.segment.name, -s.score, s.account.name, s.account.pk))
    return scored


def key_accounts(
    *, top: int = TOP_N, segment: Segment | None = None, as_of: datetime | None = None
) -> dict[Segment, list[ScoredAccount]]:
    """Each segment's key accounts, best score first; pins are in, exclusions out."""
    by_segment: dict[Segment, list[ScoredAccount]] = {}
    for item in accounts_scored(segment=segment, as_of=as_of):
        by_segment.setdefault(item.account.segment, []).append(item)
    return {seg: _top(items, top) for seg, items in by_segment.items()}


def _top(items: list[ScoredAccount], top: int) -> list[ScoredAccount]:
    excluded = {i.account.pk for i in items if i.account.override_include is False}
    pinned = [i for i in items if i.pinned]
    others = [i for i in items if not i.pinned and i.account.pk not in excluded]
    chosen = pinned + others[: max(top - len(pinned), 0)]
    ranked = {i.account.pk for i in chosen}
    return [i for i in items if i.account.pk in ranked]


def is_key_account(account: Account, *, top: int = TOP_N) -> bool:
    if account.segment is None:
        return False
    chosen = key_accounts(top=top, segment=account.segment).get(account.segment, [])
    return any(item.account.pk == account.pk for item in chosen)
