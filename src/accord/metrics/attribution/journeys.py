"""Journeys from CRM tables: the canonical touch table the attribution engine reads.

A touch belongs to its account's next opportunity (the first one whose anchor,
creation or close, is at or after the touch). That opportunity's journey keeps
the touches inside the lookback window before the anchor; it converts when the
opportunity was won, for the company-currency amount. Touches after an
account's last opportunity form one open, non-converting journey per account.
Milestones come only from touches whose ``kind`` names one; none is guessed.
"""

from __future__ import annotations

from typing import Literal

import ibis
import ibis.expr.types as ir

from accord.metrics.attribution.models import MILESTONES

Anchor = Literal["created", "closed"]


def journeys_from_crm(
    touches: ir.Table,
    opportunities: ir.Table,
    *,
    lookback_days: int = 365,
    anchor: Anchor = "created",
) -> ir.Table:
    """Canonical touch table (journey_id, ts, channel, campaign, converted, value, milestone)."""
    opps = opportunities.select(
        opp_id=opportunities.id,
        opp_account_id=opportunities.account_id,
        anchor_at=opportunities.created_at if anchor == "created" else opportunities.closed_at,
        won=(opportunities.is_won & opportunities.is_closed).fill_null(False),
        amount=opportunities.amount_company.cast("float64"),
    )
    assigned = _next_opportunity(touches, opps)
    window = ibis.interval(days=lookback_days)
    open_last = assigned.occurred_at.max().over(group_by=assigned.account_id)
    in_window = ibis.ifelse(
        assigned.opp_id.isnull(),
        assigned.occurred_at >= open_last - window,
        assigned.occurred_at >= assigned.anchor_at - window,
    )
    kept = assigned.filter(in_window)
    journey_id = ibis.ifelse(
        kept.opp_id.isnull(),
        "account:" + kept.account_id.cast("string"),
        "opportunity:" + kept.opp_id.cast("string"),
    )
    won = kept.won.fill_null(False)
    return kept.select(
        journey_id=journey_id,
        ts=kept.occurred_at,
        channel=kept.channel,
        campaign=kept.campaign_id.cast("string"),
        converted=won,
        value=ibis.ifelse(won, kept.amount.fill_null(0.0), 0.0),
        milestone=ibis.ifelse(kept.kind.isin(MILESTONES), kept.kind, None),
    )


def _next_opportunity(touches: ir.Table, opps: ir.Table) -> ir.Table:
    """Every touch, with the columns of the first opportunity anchored at or after it (or nulls)."""
    candidates = touches.join(
        opps,
        [touches.account_id == opps.opp_account_id, touches.occurred_at <= opps.anchor_at],
    )
    order = ibis.window(group_by=candidates.id, order_by=[candidates.anchor_at, candidates.opp_id])
    first = candidates.filter(ibis.row_number().over(order) == 0)
    chosen = first.select(
        touch_id=first.id,
        opp_id=first.opp_id,
        anchor_at=first.anchor_at,
        won=first.won,
        amount=first.amount,
    )
    return touches.left_join(chosen, touches.id == chosen.touch_id).drop("touch_id")
