"""Slicing the canonical tables before any metric reads them: by team, region or channel.

A metric only knows periods and segments. The cockpit's other filters narrow
the tables instead, so every metric honours them the same way without knowing
they exist:

- team: leads and opportunities owned by the team's people; accounts they own;
- region: accounts of the territory, and the leads, opportunities, touches and
  contacts of those accounts;
- channel: campaigns of the channel, the leads and opportunities they brought,
  the touches and the spend in that channel.

Tables a slice does not concern (people, segments, targets, costs …) pass
through untouched. Pure Ibis: nothing is executed here.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass

import ibis.expr.types as ir

from accord.metrics.tables import Tables

Narrow = Callable[[ir.Table], ir.Table]


@dataclass(frozen=True)
class Scope:
    """Which slice of the data a result is about; the empty scope is everything."""

    owner_ids: frozenset[int] | None = None
    territory_id: int | None = None
    channel: str | None = None

    @property
    def everything(self) -> bool:
        return self.owner_ids is None and self.territory_id is None and not self.channel

    def key(self) -> str:
        """A short stable label for cache keys."""
        if self.everything:
            return ""
        owners = ",".join(map(str, sorted(self.owner_ids))) if self.owner_ids is not None else "*"
        return f"owners={owners};territory={self.territory_id or '*'};channel={self.channel or '*'}"


def tables_scoped(tables: Tables, scope: Scope) -> Tables:
    if scope.everything:
        return tables
    narrowed = dict(tables.by_name)
    if scope.territory_id is not None:
        _narrow_by_accounts(narrowed, lambda a: a.filter(a.territory_id == scope.territory_id))
    if scope.owner_ids is not None:
        _narrow_by_owners(narrowed, scope.owner_ids)
    if scope.channel:
        _narrow_by_channel(narrowed, scope.channel)
    return Tables(narrowed)


def _apply(tables: dict[str, ir.Table], name: str, narrow: Narrow) -> None:
    if name in tables:
        tables[name] = narrow(tables[name])


def _narrow_by_accounts(tables: dict[str, ir.Table], keep: Narrow) -> None:
    accounts = keep(tables["accounts"])
    ids = accounts.select(kept_account=accounts.id)
    tables["accounts"] = accounts
    for name in ("leads", "opportunities", "touches", "contacts"):
        _apply(tables, name, lambda t: t.semi_join(ids, t.account_id == ids.kept_account))
    _narrow_children(tables)


def _narrow_by_owners(tables: dict[str, ir.Table], owner_ids: Collection[int]) -> None:
    owners = list(owner_ids)
    for name in ("leads", "opportunities"):
        _apply(tables, name, lambda t: t.filter(t.owner_id.isin(owners)))
    _narrow_children(tables)


def _narrow_by_channel(tables: dict[str, ir.Table], channel: str) -> None:
    campaigns = tables["campaigns"]
    ids = campaigns.filter(campaigns.channel == channel).select(kept_campaign=campaigns.id)
    for name in ("leads", "opportunities"):
        _apply(tables, name, lambda t: t.semi_join(ids, t.campaign_id == ids.kept_campaign))
    for name in ("touches", "spend"):
        _apply(tables, name, lambda t: t.filter(t.channel == channel))
    _narrow_children(tables)


def _narrow_children(tables: dict[str, ir.Table]) -> None:
    """Rows that hang off a lead or an opportunity follow their parent."""
    leads = tables["leads"].select(kept_lead=tables["leads"].id)
    opps = tables["opportunities"].select(kept_opp=tables["opportunities"].id)
    for name in ("lead_events", "sla_marks"):
        _apply(tables, name, lambda t: t.semi_join(leads, t.lead_id == leads.kept_lead))
    _apply(
        tables,
        "stage_changes",
        lambda t: t.semi_join(opps, t.opportunity_id == opps.kept_opp),
    )
