"""Contacts, leads with their event logs, and opportunities."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from accord.crm.choices import LeadStage, SourceSystem
from accord.crm.matching import AccountsByDomain
from accord.crm.models import (
    Contact,
    ExchangeRate,
    Lead,
    LeadEvent,
    Opportunity,
    OpportunityContactRole,
    OpportunityStageChange,
)
from accord.demo.accounts import AccountInfo
from accord.demo.company import Org
from accord.demo.inserter import insert_rows, ts
from accord.demo.marketing import CampaignInfo
from accord.demo.names import FIRST, FREE_MAIL, LAST, TITLES_FIT, TITLES_LOW, TITLES_MID
from accord.demo.story import Rep, Story, story_tell

OPEN_STAGES = ("Prospecting", "Qualification", "Proposal", "Negotiation")
LOST_REASONS = ("Price", "Competitor: Northwind", "No decision", "Timing", "Missing feature")
DEAL_SIZE = {0: (8_000, 30_000), 1: (30_000, 140_000), 2: (150_000, 900_000)}
CYCLE_DAYS = {0: 35, 1: 70, 2: 130}
WIN_RATE = {0: 0.32, 1: 0.27, 2: 0.22}
SEASON = {
    1: 0.9,
    2: 1.0,
    3: 1.1,
    4: 1.0,
    5: 1.0,
    6: 0.95,
    7: 0.8,
    8: 0.7,
    9: 1.15,
    10: 1.25,
    11: 1.2,
    12: 0.75,
}


@dataclass(frozen=True)
class LeadInfo:
    """What the touch generator needs to know about each lead."""

    contact_id: int
    account_id: int | None
    created: datetime
    journey_end: datetime
    campaign_id: int
    weight: float
    buyer: bool


@dataclass
class Deal:
    pk: int
    account: AccountInfo
    created: datetime
    owner_id: int | None
    campaign_id: int | None
    marketing: bool
    won: bool = False
    closed: datetime | None = None


class Rates:
    def __init__(self) -> None:
        self._rates: dict[tuple[str, date], Decimal] = {
            (r.currency, r.valid_from): r.rate for r in ExchangeRate.objects.all()
        }

    def to_company(self, amount: Decimal, currency: str, when: datetime) -> Decimal:
        if currency == "USD":
            return amount
        rate = self._rates[(currency, when.date().replace(day=1))]
        return (amount * rate).quantize(Decimal("0.01"))


def _lead_time(rng: random.Random, months: list[date], as_of: datetime) -> datetime:
    weights = [(1 + 0.35 * i / len(months)) * SEASON[m.month] for i, m in enumerate(months)]
    month = rng.choices(months, weights=weights)[0]
    while True:
        day = month + timedelta(days=rng.randrange(28))
        if day.weekday() < 5 or rng.random() < 0.25:
            break
    moment = datetime.combine(day, time(rng.randint(7, 21), rng.randrange(60)), tzinfo=UTC)
    return min(moment, as_of - timedelta(minutes=rng.randint(5, 60 * 24 * 3)))


def _fit(rng: random.Random, segment_index: int) -> tuple[float, str]:
    roll = rng.random()
    if roll < 0.3:
        return min(1.0, 0.75 + 0.1 * segment_index), rng.choice(TITLES_FIT)
    if roll < 0.8:
        return 0.5 + 0.05 * segment_index, rng.choice(TITLES_MID)
    return 0.15, rng.choice(TITLES_LOW)


def _campaign_for(
    rng: random.Random, campaigns: list[CampaignInfo], when: datetime, *, working_only: bool
) -> CampaignInfo:
    day = when.date()
    pool = [c for c in campaigns if c.strength > 0] if working_only else campaigns
    active = [c for c in pool if c.starts <= day <= c.ends] or pool
    return rng.choices(active, weights=[c.lead_weight for c in active])[0]


def _router(rng: random.Random, org: Org) -> dict[tuple[int, int], list[Rep]]:
    reps: dict[tuple[int, int], list[Rep]] = {}
    for person in org.reps[:16]:
        rep = Rep(person.pk, person.time_zone, person.pk in org.slow_rep_ids)
        for territory in person.territories.all():
            t_index = org.territories.index(territory)
            for s_index in range(3):
                reps.setdefault((t_index, s_index), []).append(rep)
    return reps


def leads_build(
    rng: random.Random,
    *,
    org: Org,
    accounts: list[AccountInfo],
    campaigns: list[CampaignInfo],
    months: list[date],
    count: int,
    as_of: datetime,
    rates: Rates,
    deal_start_id: int,
) -> tuple[list[LeadInfo], list[Deal], list[Lead], list[tuple[object, ...]]]:
    routes = _router(rng, org)
    owner_reps = {r.pk: Rep(r.pk, r.time_zone, r.pk in org.slow_rep_ids) for r in org.reps}
    # Contacts join their account by e-mail domain, exactly as imported ones do.
    by_domain = AccountsByDomain.known((a.domain, a.pk) for a in accounts)
    contacts, leads, events, infos, deals = [], [], [], [], []
    next_deal = deal_start_id
    contact_base = (Contact.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    lead_base = (Lead.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    for index in range(count):
        created = _lead_time(rng, months, as_of)
        free_mail = rng.random() < 0.12
        account = None if free_mail else rng.choice(accounts)
        fit, title = _fit(rng, account.segment_index if account else 0)
        first, last = rng.choice(FIRST), rng.choice(LAST)
        domain = rng.choice(FREE_MAIL) if account is None else account.domain
        email = f"{first}.{last}.{index}@{domain}".lower()
        buyer = account is not None and not account.doomed
        campaign = _campaign_for(rng, campaigns, created, working_only=buyer)
        if account and account.owner_id:
            rep = owner_reps[account.owner_id]
        else:
            key = (
                account.territory_index if account else 0,
                account.segment_index if account else 0,
            )
            rep = rng.choice(routes[key])
        story = story_tell(rng, created_at=created, fit=fit, rep=rep, as_of=as_of, can_open=buyer)
        contact_id, lead_id = contact_base + index, lead_base + index
        contacts.append(
            Contact(
                pk=contact_id,
                account_id=by_domain.account_for_email(email),
                email=email,
                first_name=first,
                last_name=last,
                title=title,
                country=account.country if account else "",
                source=SourceSystem.DEMO,
                external_id=f"con-{index + 1}",
                created_at=created,
            )
        )
        deal = None
        if story.wants_opportunity and account is not None:
            assert story.opportunity_at is not None
            deal = Deal(next_deal, account, story.opportunity_at, rep.pk, campaign.pk, True)
            deals.append(deal)
            next_deal += 1
        leads.append(_lead_row(lead_id, contact_id, account, campaign, story, fit, index, deal))
        events.extend(_event_rows(lead_id, story))
        end = deal.created if deal else min(as_of, created + timedelta(days=60))
        weight = 1 + 2 * (story.mql_at is not None) + 4 * (deal is not None)
        infos.append(
            LeadInfo(
                contact_id,
                account.pk if account else None,
                created,
                end,
                campaign.pk,
                weight,
                buyer,
            )
        )
    Contact.objects.bulk_create(contacts, batch_size=2000)
    return infos, deals, leads, events


def _lead_row(
    lead_id: int,
    contact_id: int,
    account: AccountInfo | None,
    campaign: CampaignInfo,
    story: Story,
    fit: float,
    index: int,
    deal: Deal | None,
) -> Lead:
    return Lead(
        pk=lead_id,
        contact_id=contact_id,
        account_id=account.pk if account else None,
        stage=story.stage,
        status=LeadStage(story.stage).label,
        lead_source=campaign.channel,
        campaign_id=campaign.pk,
        score=int(20 + 60 * fit),
        owner_id=story.owner_id,
        segment_id=None,
        mql_at=story.mql_at,
        sal_at=story.sal_at,
        sql_at=story.sql_at,
        opportunity_at=story.opportunity_at,
        recycled_at=story.recycled_at,
        disqualified_at=story.disqualified_at,
        assigned_at=story.assigned_at,
        accept_due_at=story.accept_due_at,
        contact_due_at=story.contact_due_at,
        first_contact_at=story.first_contact_at,
        rejection_reason=story.rejection_reason,
        converted_opportunity_id=deal.pk if deal else None,
        source=SourceSystem.DEMO,
        external_id=f"lead-{index + 1}",
        created_at=story.created_at,
    )


def _event_rows(lead_id: int, story: Story) -> list[tuple[object, ...]]:
    return [
        (
            lead_id,
            ts(e.at),
            str(e.kind),
            e.actor_id,
            str(e.from_stage),
            str(e.to_stage),
            e.rule,
            str(e.reason),
            e.note,
            json.dumps({}),
        )
        for e in story.events
    ]


EVENT_COLUMNS = (
    "lead_id",
    "occurred_at",
    "kind",
    "actor_id",
    "from_stage",
    "to_stage",
    "rule",
    "reason",
    "note",
    "data",
)


def deals_settle(rng: random.Random, deals: list[Deal], as_of: datetime, rates: Rates) -> None:
    """Write the opportunities with their stage history and outcome."""
    opportunities, changes, roles = [], [], []
    for deal in deals:
        segment = deal.account.segment_index
        low, high = DEAL_SIZE[segment]
        amount = Decimal(f"{rng.uniform(low, high) * (3 if rng.random() < 0.02 else 1):.2f}")
        currency = "USD" if deal.account.territory_index < 2 else rng.choice(("EUR", "GBP"))
        cycle = timedelta(days=max(7, rng.gauss(CYCLE_DAYS[segment], CYCLE_DAYS[segment] / 3)))
        closes = deal.created + cycle
        won = rng.random() < WIN_RATE[segment] * (1.3 if deal.marketing else 1.0)
        stage_count = rng.randint(2, 4) if won else rng.randint(1, 4)
        history = [
            (deal.created + cycle * i / (stage_count + 1), OPEN_STAGES[i])
            for i in range(stage_count)
        ]
        is_closed = closes <= as_of
        if is_closed:
            history.append((closes, "Closed Won" if won else "Closed Lost"))
            deal.won, deal.closed = won, closes
        history = [(at, stage) for at, stage in history if at <= as_of]
        stage = history[-1][1]
        opportunities.append(
            Opportunity(
                pk=deal.pk,
                account_id=deal.account.pk,
                name=f"{_account_name(deal)} — new business",
                amount=amount,
                currency=currency,
                amount_company=rates.to_company(amount, currency, deal.created),
                stage=stage,
                is_closed=is_closed,
                is_won=is_closed and won,
                closed_at=closes if is_closed else None,
                owner_id=deal.owner_id,
                campaign_id=deal.campaign_id,
                lost_reason="" if (won or not is_closed) else rng.choice(LOST_REASONS),
                is_marketing_sourced=deal.marketing,
                source=SourceSystem.DEMO,
                external_id=f"opp-{deal.pk}",
                created_at=deal.created,
            )
        )
        changes.extend(
            OpportunityStageChange(
                opportunity_id=deal.pk,
                stage=s,
                amount=amount,
                changed_at=at,
                source=SourceSystem.DEMO,
            )
            for at, s in history
        )
    Opportunity.objects.bulk_create(opportunities, batch_size=2000)
    OpportunityStageChange.objects.bulk_create(changes, batch_size=5000)
    OpportunityContactRole.objects.bulk_create(roles)


def _account_name(deal: Deal) -> str:
    return deal.account.domain.removesuffix(".example").title()


def leads_write(leads: list[Lead], events: list[tuple[object, ...]], deals: list[Deal]) -> None:
    won = {d.pk: d.closed for d in deals if d.won}
    for lead in leads:
        closed = won.get(lead.converted_opportunity_id) if lead.converted_opportunity_id else None
        if closed is not None:
            lead.customer_at, lead.stage, lead.status = closed, LeadStage.CUSTOMER, "Customer"
            events.append(
                (
                    lead.pk,
                    ts(closed),
                    "stage_changed",
                    lead.owner_id,
                    "opportunity",
                    "customer",
                    "Opportunity won",
                    "",
                    "",
                    json.dumps({}),
                )
            )
    Lead.objects.bulk_create(leads, batch_size=2000)
    insert_rows(LeadEvent, EVENT_COLUMNS, events)


def sales_sourced_deals(
    rng: random.Random,
    accounts: list[AccountInfo],
    months: list[date],
    count: int,
    as_of: datetime,
    start_id: int,
) -> list[Deal]:
    named = [a for a in accounts if a.owner_id and not a.doomed] or accounts
    deals = []
    for offset in range(count):
        account = rng.choice(named)
        created = _lead_time(rng, months, as_of - timedelta(days=2))
        deals.append(Deal(start_id + offset, account, created, account.owner_id, None, False))
    return deals


def contact_roles_build(deals: list[Deal]) -> None:
    primary = {
        lead.converted_opportunity_id: lead.contact_id
        for lead in Lead.objects.filter(converted_opportunity__isnull=False).only(
            "converted_opportunity_id", "contact_id"
        )
    }
    OpportunityContactRole.objects.bulk_create(
        [
            OpportunityContactRole(
                opportunity_id=opp, contact_id=contact, role="Decision maker", is_primary=True
            )
            for opp, contact in primary.items()
            if contact is not None
        ],
        batch_size=5000,
    )
