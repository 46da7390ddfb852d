"""About a million touches, generated with numpy in bounded-memory batches.

Accounts that end up winning a deal are only ever touched by campaigns that
work; the planted weak campaigns touch only accounts that never buy. Each
lead's own form fill is one of its touches, at the moment it was created.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time

import numpy as np

from accord.crm.choices import Channel, SourceSystem, TouchKind
from accord.crm.models import Touch
from accord.demo.inserter import insert_rows, ts_array
from accord.demo.marketing import UNCAMPAIGNED, CampaignInfo
from accord.demo.pipeline import Deal, LeadInfo

BATCH_LEADS = 4_000
DAY = 86_400
KINDS: dict[str, tuple[str, ...]] = {
    Channel.PAID_SEARCH: (TouchKind.AD_CLICK, TouchKind.WEB_VISIT),
    Channel.PAID_SOCIAL: (TouchKind.AD_CLICK,),
    Channel.DISPLAY: (TouchKind.AD_CLICK,),
    Channel.ORGANIC_SEARCH: (TouchKind.WEB_VISIT,),
    Channel.EMAIL: (TouchKind.EMAIL_OPEN, TouchKind.EMAIL_CLICK),
    Channel.WEBINAR: (TouchKind.WEBINAR,),
    Channel.EVENT: (TouchKind.EVENT_VISIT,),
    Channel.CONTENT: (TouchKind.CONTENT_DOWNLOAD, TouchKind.WEB_VISIT),
    Channel.REFERRAL: (TouchKind.WEB_VISIT, TouchKind.MEETING),
    Channel.PARTNER: (TouchKind.MEETING, TouchKind.WEB_VISIT),
    Channel.OUTBOUND: (TouchKind.CALL, TouchKind.MEETING),
    Channel.DIRECT: (TouchKind.WEB_VISIT,),
}
COLUMNS = (
    "contact_id",
    "account_id",
    "campaign_id",
    "channel",
    "kind",
    "occurred_at",
    "source",
    "created_at",
    "updated_at",
)


class CampaignPicker:
    """Chooses a campaign (or an uncampaigned channel) active in a given month."""

    def __init__(self, campaigns: list[CampaignInfo], months: list[date]) -> None:
        self.month_starts = np.array(
            [int(datetime.combine(m, time(), tzinfo=UTC).timestamp()) for m in months]
        )
        self.options: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []
        for month in months:
            active = [c for c in campaigns if c.starts <= month <= c.ends]
            ids = [c.pk for c in active] + [-1] * len(UNCAMPAIGNED)
            channels = [c.channel for c in active] + [ch for ch, _ in UNCAMPAIGNED]
            share = [w * 8 for _, w in UNCAMPAIGNED]
            every = np.array([c.touch_weight for c in active] + share)
            good = np.array([c.touch_weight * c.strength for c in active] + share)
            self.options.append(
                (np.array(ids), np.array(channels), every / every.sum(), good / good.sum())
            )

    def pick(
        self, rng: np.random.Generator, seconds: np.ndarray, winner: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        month = np.clip(
            np.searchsorted(self.month_starts, seconds, side="right") - 1, 0, len(self.options) - 1
        )
        campaign = np.full(seconds.shape, -1, dtype=np.int64)
        channel = np.empty(seconds.shape, dtype=object)
        for m, (ids, channels, every, good) in enumerate(self.options):
            for flag, weights in ((False, every), (True, good)):
                mask = (month == m) & (winner == flag)
                n = int(mask.sum())
                if n:
                    choice = rng.choice(len(ids), size=n, p=weights)
                    campaign[mask], channel[mask] = ids[choice], channels[choice]
        return campaign, channel


def _kinds(rng: np.random.Generator, channel: np.ndarray) -> np.ndarray:
    kind = np.empty(channel.shape, dtype=object)
    for ch, options in KINDS.items():
        mask = channel == str(ch)
        n = int(mask.sum())
        if n:
            kind[mask] = np.array([str(o) for o in options], dtype=object)[
                rng.integers(0, len(options), n)
            ]
    return kind


def touches_build(
    rng: np.random.Generator,
    *,
    leads: list[LeadInfo],
    deals: list[Deal],
    campaigns: list[CampaignInfo],
    months: list[date],
    total: int,
    as_of: datetime,
    history_start: datetime,
    progress: Callable[[int], None],
) -> int:
    picker = CampaignPicker(campaigns, months)
    buyers = {d.account.pk for d in deals} | {lead.account_id for lead in leads if lead.buyer}
    weights = np.array([lead.weight for lead in leads])
    counts = rng.multinomial(max(0, total - len(leads)), weights / weights.sum()) + 1
    now, start = int(as_of.timestamp()), int(history_start.timestamp())
    written = 0
    for lo in range(0, len(leads), BATCH_LEADS):
        batch = leads[lo : lo + BATCH_LEADS]
        n = counts[lo : lo + BATCH_LEADS]
        created = np.array([int(lead.created.timestamp()) for lead in batch])
        ends = np.array([int(lead.journey_end.timestamp()) for lead in batch])
        first = np.zeros(int(n.sum()), dtype=bool)
        first[np.concatenate(([0], np.cumsum(n)[:-1]))] = True
        c_rep, e_rep = np.repeat(created, n), np.repeat(ends, n)
        before = rng.random(c_rep.size) < 0.7
        seconds = np.where(
            before,
            c_rep - rng.exponential(25 * DAY, c_rep.size).astype(np.int64),
            c_rep + (rng.random(c_rep.size) * np.maximum(e_rep - c_rep, 0)).astype(np.int64),
        )
        seconds = np.where(first, c_rep, np.clip(seconds, start, now))
        account = np.repeat(np.array([lead.account_id or -1 for lead in batch]), n)
        winner = np.isin(account, np.fromiter(buyers, dtype=np.int64, count=len(buyers)))
        campaign, channel = picker.pick(rng, seconds, winner)
        own = np.repeat(np.array([lead.campaign_id for lead in batch]), n)
        own_channel = np.repeat(
            np.array([_channel_of(campaigns, lead.campaign_id) for lead in batch], dtype=object), n
        )
        campaign = np.where(first, own, campaign)
        channel = np.where(first, own_channel, channel)
        kind = _kinds(rng, channel)
        kind[first] = TouchKind.FORM_FILL.value
        contact = np.repeat(np.array([lead.contact_id for lead in batch]), n)
        written += _write(contact, account, campaign, channel, kind, seconds)
        progress(int(n.sum()))
    return written


_CHANNEL_CACHE: dict[int, str] = {}


def _channel_of(campaigns: list[CampaignInfo], pk: int) -> str:
    if not _CHANNEL_CACHE or pk not in _CHANNEL_CACHE:
        _CHANNEL_CACHE.update({c.pk: c.channel for c in campaigns})
    return _CHANNEL_CACHE[pk]


def _write(
    contact: np.ndarray,
    account: np.ndarray,
    campaign: np.ndarray,
    channel: np.ndarray,
    kind: np.ndarray,
    seconds: np.ndarray,
) -> int:
    stamps = ts_array(seconds)
    rows = zip(
        contact.tolist(),
        [a if a >= 0 else None for a in account.tolist()],
        [c if c >= 0 else None for c in campaign.tolist()],
        channel.tolist(),
        kind.tolist(),
        stamps,
        [SourceSystem.DEMO.value] * len(stamps),
        stamps,
        stamps,
        strict=True,
    )
    return insert_rows(Touch, COLUMNS, rows)


def outbound_touches_build(rng: np.random.Generator, deals: list[Deal], as_of: datetime) -> int:
    """Calls and meetings reps log on accounts before the deals they source."""
    sales = [d for d in deals if not d.marketing]
    if not sales:
        return 0
    n = rng.integers(1, 5, len(sales))
    created = np.repeat(np.array([int(d.created.timestamp()) for d in sales]), n)
    seconds = np.minimum(
        created - rng.exponential(10 * DAY, created.size).astype(np.int64), int(as_of.timestamp())
    )
    account = np.repeat(np.array([d.account.pk for d in sales]), n)
    channel = np.full(account.shape, Channel.OUTBOUND.value, dtype=object)
    kind = _kinds(rng, channel)
    stamps = ts_array(seconds)
    rows = zip(
        [None] * len(stamps),
        account.tolist(),
        [None] * len(stamps),
        channel.tolist(),
        kind.tolist(),
        stamps,
        [SourceSystem.DEMO.value] * len(stamps),
        stamps,
        stamps,
        strict=True,
    )
    return insert_rows(Touch, COLUMNS, rows)
