"""Builders for the cadence tests: a series, a meeting, and CRM rows with known dates."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from accord.cadence import services
from accord.cadence.models import Meeting, MeetingSeries
from accord.crm.models import Account, Campaign, Lead, Opportunity, OpportunityStageChange, Spend

# The meeting most tests look at: it covers 3 Oct 2026 to 3 Nov 2026 (31 days),
# and the period before it runs from 2 Sep to 3 Oct.
HELD_ON = date(2026, 11, 3)
SINCE = datetime(2026, 10, 3, tzinfo=UTC)
UNTIL = datetime(2026, 11, 3, tzinfo=UTC)
BEFORE = datetime(2026, 9, 2, tzinfo=UTC)


def at(day: date | str, hour: int = 12) -> datetime:
    day = date.fromisoformat(day) if isinstance(day, str) else day
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def series_make(**fields: object) -> MeetingSeries:
    return services.series_create(name=str(fields.pop("name", "Revenue meeting")), **fields)


def meeting_make(cast, series: MeetingSeries | None = None, held_on: date = HELD_ON) -> Meeting:
    """A meeting with both managers, the rep and the marketer; agenda drafted on creation."""
    return services.meeting_create(
        series=series or series_make(),
        held_on=held_on,
        participants=[cast.sales_manager, cast.marketing_manager, cast.rep, cast.marketer],
        created_by=cast.sales_manager,
    )


def account_make(name: str = "Northwind") -> Account:
    return Account.objects.create(name=name, created_at=at("2026-01-05"))


def deal_make(
    name: str,
    amount: str | None,
    *,
    created: str = "2026-09-01",
    closed: str | None = None,
    moved: list[str] = (),
    campaign: Campaign | None = None,
    account: Account | None = None,
) -> Opportunity:
    deal = Opportunity.objects.create(
        account=account or account_make(f"{name} Inc"),
        name=name,
        amount=Decimal(amount) if amount else None,
        amount_company=Decimal(amount) if amount else None,
        stage="Closed Won" if closed else "Proposal",
        is_closed=closed is not None,
        is_won=closed is not None,
        closed_at=at(closed) if closed else None,
        campaign=campaign,
        created_at=at(created),
    )
    for day in moved:
        OpportunityStageChange.objects.create(
            opportunity=deal, stage="Proposal", changed_at=at(day)
        )
    return deal


def campaign_make(name: str) -> Campaign:
    return Campaign.objects.create(name=name, channel="display", created_at=at("2026-01-05"))


def spend_make(campaign: Campaign, start: str, end: str, amount: str) -> Spend:
    return Spend.objects.create(
        campaign=campaign,
        channel=campaign.channel,
        period_start=date.fromisoformat(start),
        period_end=date.fromisoformat(end),
        amount=Decimal(amount),
        amount_company=Decimal(amount),
        created_at=at(start),
    )


def leads_make(
    count: int, *, mql: datetime, moved: int, step: timedelta = timedelta(days=2)
) -> None:
    """``count`` MQLs on ``mql``; the first ``moved`` accepted by sales ``step`` later."""
    Lead.objects.bulk_create(
        Lead(
            stage="sal" if i < moved else "mql",
            mql_at=mql,
            sal_at=mql + step if i < moved else None,
            created_at=mql,
        )
        for i in range(count)
    )
