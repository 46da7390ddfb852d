"""Campaigns and spend: two years of a plausible marketing calendar.

Some campaigns are planted to never produce revenue (all display, two trade
shows, two quarters of paid social), so attribution has something true to find.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from accord.crm.choices import Channel, SourceSystem
from accord.crm.models import Campaign, Spend
from accord.directory.models import Person

# channel: (monthly spend per 30k-lead company, lead-source weight, strength)
CHANNEL_PLAN: dict[str, tuple[int, float, float]] = {
    Channel.PAID_SEARCH: (42_000, 0.22, 1.0),
    Channel.PAID_SOCIAL: (25_000, 0.12, 0.6),
    Channel.DISPLAY: (18_000, 0.05, 0.0),
    Channel.EMAIL: (4_000, 0.08, 0.9),
    Channel.CONTENT: (9_000, 0.14, 0.9),
    Channel.WEBINAR: (6_000, 0.13, 1.3),
    Channel.EVENT: (55_000, 0.08, 1.1),
    Channel.REFERRAL: (3_000, 0.06, 1.6),
    Channel.PARTNER: (5_000, 0.04, 1.2),
}
# How many touches a channel makes relative to others (email is chatty, events are rare).
TOUCH_VOLUME: dict[str, float] = {
    Channel.PAID_SEARCH: 1.5,
    Channel.PAID_SOCIAL: 1.2,
    Channel.DISPLAY: 1.5,
    Channel.EMAIL: 2.0,
    Channel.CONTENT: 1.2,
    Channel.WEBINAR: 0.6,
    Channel.EVENT: 0.4,
    Channel.REFERRAL: 0.25,
    Channel.PARTNER: 0.3,
}
# Touches without a campaign: (channel, weight among touches).
UNCAMPAIGNED = ((Channel.ORGANIC_SEARCH.value, 0.12), (Channel.DIRECT.value, 0.08))
QUARTERLY = (
    Channel.PAID_SEARCH,
    Channel.PAID_SOCIAL,
    Channel.DISPLAY,
    Channel.EMAIL,
    Channel.CONTENT,
    Channel.REFERRAL,
    Channel.PARTNER,
)
WEAK_EVENTS = {"Tech Expo"}
EVENT_NAMES = ("Revenue Summit", "Tech Expo", "Growth Forum", "Tech Expo")


@dataclass(frozen=True)
class CampaignInfo:
    pk: int
    channel: str
    starts: date
    ends: date
    strength: float
    lead_weight: float
    touch_weight: float


def _month_starts(first: date, months: int) -> list[date]:
    result, current = [], first
    for _ in range(months):
        result.append(current)
        current = (current + timedelta(days=32)).replace(day=1)
    return result


def months_of_history(as_of: date, months: int) -> list[date]:
    start = as_of.replace(day=1)
    for _ in range(months - 1):
        start = (start - timedelta(days=1)).replace(day=1)
    return _month_starts(start, months)


def _quarter_label(month: date) -> str:
    return f"Q{(month.month - 1) // 3 + 1} {month.year}"


def campaigns_build(
    rng: random.Random, months: list[date], owners: list[Person]
) -> list[CampaignInfo]:
    plans: list[tuple[str, str, date, date, float]] = []
    for index, month in enumerate(months):
        end = (month + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        if month.month % 3 == 1 or index == 0:
            q_end = months[min(index + 2, len(months) - 1)]
            q_end = (q_end + timedelta(days=32)).replace(day=1) - timedelta(days=1)
            for channel in QUARTERLY:
                strength = CHANNEL_PLAN[channel][2]
                if channel == Channel.PAID_SOCIAL and index in (3, 12):
                    strength = 0.0
                label = Channel(channel).label
                plans.append(
                    (f"{label} — {_quarter_label(month)}", channel, month, q_end, strength)
                )
            event = EVENT_NAMES[(index // 3) % len(EVENT_NAMES)]
            strength = 0.0 if event in WEAK_EVENTS else CHANNEL_PLAN[Channel.EVENT][2]
            plans.append((f"{event} {month.year}", Channel.EVENT, month, q_end, strength))
        topic = ("pipeline reviews", "lead scoring", "attribution", "sales handoffs")[index % 4]
        plans.append(
            (
                f"Webinar: {topic} ({month:%b %Y})",
                Channel.WEBINAR,
                month,
                end,
                CHANNEL_PLAN[Channel.WEBINAR][2],
            )
        )
    infos = []
    for name, channel, starts, ends, strength in plans:
        noise = 0.0 if strength == 0 else strength * rng.uniform(0.7, 1.3)
        campaign = Campaign.objects.create(
            name=name,
            channel=channel,
            starts_on=starts,
            ends_on=ends,
            owner=rng.choice(owners),
            source=SourceSystem.DEMO,
            external_id=f"cmp-{len(infos) + 1}",
            created_at=_aware(starts),
        )
        infos.append(
            CampaignInfo(
                campaign.pk,
                str(channel),
                starts,
                ends,
                noise,
                CHANNEL_PLAN[channel][1],
                TOUCH_VOLUME[channel],
            )
        )
    return infos


def spend_build(
    rng: random.Random, campaigns: list[CampaignInfo], months: list[date], scale: float
) -> int:
    rows = []
    for month in months:
        end = (month + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        active = [c for c in campaigns if c.starts <= month <= c.ends]
        per_channel: dict[str, list[CampaignInfo]] = {}
        for c in active:
            per_channel.setdefault(c.channel, []).append(c)
        for channel, group in per_channel.items():
            monthly = CHANNEL_PLAN[channel][0] * scale
            for c in group:
                amount = Decimal(f"{monthly / len(group) * rng.uniform(0.8, 1.2):.2f}")
                rows.append(
                    Spend(
                        campaign_id=c.pk,
                        channel=channel,
                        period_start=month,
                        period_end=end,
                        amount=amount,
                        currency="USD",
                        amount_company=amount,
                        source=SourceSystem.DEMO,
                        external_id=f"sp-{c.pk}-{month:%Y%m}",
                        created_at=_aware(month),
                    )
                )
        seo = Decimal(f"{7_000 * scale * rng.uniform(0.9, 1.1):.2f}")
        rows.append(
            Spend(
                campaign=None,
                channel=Channel.ORGANIC_SEARCH,
                period_start=month,
                period_end=end,
                amount=seo,
                currency="USD",
                amount_company=seo,
                source=SourceSystem.DEMO,
                external_id=f"sp-seo-{month:%Y%m}",
                created_at=_aware(month),
            )
        )
    Spend.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def _aware(day: date) -> datetime:
    return datetime.combine(day, time(9), tzinfo=UTC)
