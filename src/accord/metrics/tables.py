"""The canonical tables every metric reads: the app's own tables, under stable names.

A metric never sees Django. It receives a :class:`Tables` whose members are Ibis
tables with the columns of the Django model's database table (``account_id``,
``amount_company``, ``mql_at`` …). Where they come from is the gateway's
business: Parquet snapshots read by an in-memory DuckDB (the embedded default),
the app database itself (PostgreSQL), Spark, or ``ibis.memtable`` in tests.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import ibis.expr.types as ir

# Canonical name → Django model label. Capabilities add their tables here.
CANONICAL: dict[str, str] = {
    "accounts": "crm.Account",
    "contacts": "crm.Contact",
    "leads": "crm.Lead",
    "lead_events": "crm.LeadEvent",
    "touches": "crm.Touch",
    "campaigns": "crm.Campaign",
    "opportunities": "crm.Opportunity",
    "stage_changes": "crm.OpportunityStageChange",
    "spend": "crm.Spend",
    "people": "directory.Person",
    "teams": "directory.Team",
    "segments": "directory.Segment",
    "sla_marks": "funnel.SlaMark",
    "mql_commitments": "funnel.MqlCommitment",
    "targets": "metrics.Target",
    "sales_costs": "metrics.SalesCost",
}


class MissingTableError(KeyError):
    """A metric asked for a canonical table its source does not hold."""


@dataclass(frozen=True)
class Tables(Mapping[str, ir.Table]):
    """Canonical tables by name; ``tables.leads`` reads like ``tables["leads"]``."""

    by_name: Mapping[str, ir.Table]

    def __getitem__(self, name: str) -> ir.Table:
        try:
            return self.by_name[name]
        except KeyError:
            raise MissingTableError(f"no canonical table {name!r} in this source") from None

    def __getattr__(self, name: str) -> ir.Table:
        if name.startswith("_") or name == "by_name":
            raise AttributeError(name)
        return self[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.by_name)

    def __len__(self) -> int:
        return len(self.by_name)
