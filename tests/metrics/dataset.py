"""One small company as canonical tables, for hand-computed metric tests and engine comparisons.

The columns and types come from the Django models (the same schema the
snapshot writes), so DuckDB, PostgreSQL and Spark all load identical tables.
Any column a row leaves out is empty; any table left out has no rows.

The story, in the first quarter of 2024 (``Q1``):

- L1 goes all the way to customer, contacted 30 minutes after MQL, accepted in time.
- L2 reaches SQL, contacted 5 hours after MQL; accepted late, contacted late.
- L3 (segment SMB through its own segment) is recycled before its accept deadline.
- L4 is accepted; contacted after 45 minutes, never qualified.
- L5 is an inquiry that never became an MQL.
- L6 was an inquiry in December 2023 and an MQL in January; reaches opportunity.
- L7 is an MQL nobody answered (a breach), never contacted.
- L8 arrives in April, after the quarter.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pyarrow as pa

from accord.metrics.registry import MetricQuery
from accord.metrics.snapshot import canonical_schema
from accord.metrics.tables import CANONICAL

Q1 = MetricQuery(start=date(2024, 1, 1), end=date(2024, 4, 1))


def at(month: int, day: int, hour: int = 0, minute: int = 0, year: int = 2024) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def _lead(lead_id: int, created: datetime, **fields: Any) -> dict[str, Any]:
    return {"id": lead_id, "created_at": created, "updated_at": created, "stage": "mql", **fields}


LEADS = [
    _lead(
        1,
        at(1, 2, 9),
        mql_at=at(1, 3, 9),
        sal_at=at(1, 3, 10),
        sql_at=at(1, 5, 9),
        opportunity_at=at(1, 10, 9),
        customer_at=at(2, 9, 9),
        account_id=100,
        campaign_id=50,
        owner_id=10,
        lead_source="Web",
        first_contact_at=at(1, 3, 9, 30),
        accept_due_at=at(1, 3, 13),
        contact_due_at=at(1, 4, 9),
    ),
    _lead(
        2,
        at(1, 10),
        mql_at=at(1, 11),
        sal_at=at(1, 12),
        sql_at=at(1, 14),
        account_id=101,
        campaign_id=51,
        owner_id=11,
        lead_source="Event",
        first_contact_at=at(1, 11, 5),
        accept_due_at=at(1, 11, 4),
        contact_due_at=at(1, 11, 3),
    ),
    _lead(
        3,
        at(2, 1, 12),
        mql_at=at(2, 2, 12),
        recycled_at=at(2, 2, 14),
        account_id=102,
        segment_id=1,
        campaign_id=50,
        owner_id=10,
        lead_source="",
        accept_due_at=at(2, 2, 16),
        contact_due_at=at(2, 3, 12),
    ),
    _lead(
        4,
        at(2, 15),
        mql_at=at(2, 16, 8),
        sal_at=at(2, 16, 9),
        account_id=100,
        owner_id=11,
        lead_source="Web",
        first_contact_at=at(2, 16, 8, 45),
        accept_due_at=at(2, 16, 12),
        contact_due_at=at(2, 17, 8),
    ),
    _lead(5, at(3, 1), account_id=101, campaign_id=51, lead_source="Web"),
    _lead(
        6,
        at(12, 20, year=2023),
        mql_at=at(1, 5, 10),
        sal_at=at(1, 5, 11),
        sql_at=at(1, 6),
        opportunity_at=at(2, 1),
        account_id=100,
        campaign_id=50,
        owner_id=10,
        lead_source="Web",
        first_contact_at=at(1, 5, 10, 20),
        accept_due_at=at(1, 5, 14),
        contact_due_at=at(1, 6, 10),
    ),
    _lead(
        7,
        at(3, 20),
        mql_at=at(3, 21, 10),
        account_id=101,
        campaign_id=51,
        owner_id=11,
        lead_source="Event",
        accept_due_at=at(3, 21, 14),
        contact_due_at=at(3, 22, 10),
    ),
    _lead(8, at(4, 2), mql_at=at(4, 3), account_id=100, owner_id=10, lead_source="Web"),
]


def _money(amount: str) -> Decimal:
    return Decimal(amount)


ROWS: dict[str, list[dict[str, Any]]] = {
    "segments": [
        {"id": 1, "name": "SMB", "slug": "smb"},
        {"id": 2, "name": "Enterprise", "slug": "enterprise"},
    ],
    "teams": [{"id": 1, "name": "Sales One", "kind": "sales"}],
    "people": [
        {"id": 10, "name": "Ann Rep", "role": "sales_rep", "team_id": 1},
        {"id": 11, "name": "Bob Rep", "role": "sales_rep", "team_id": 1},
        {"id": 12, "name": "Mia Marketer", "role": "marketer"},
    ],
    "accounts": [
        {
            "id": 100,
            "name": "Acme",
            "segment_id": 1,
            "owner_id": 10,
            "created_at": at(1, 1, year=2023),
        },
        {
            "id": 101,
            "name": "Globex",
            "segment_id": 2,
            "owner_id": 11,
            "created_at": at(1, 1, year=2023),
        },
        {"id": 102, "name": "Initech", "created_at": at(1, 1, year=2023)},
    ],
    "campaigns": [
        {
            "id": 50,
            "name": "Webinar",
            "channel": "webinar",
            "segment_id": 1,
            "created_at": at(1, 1),
        },
        {"id": 51, "name": "Search", "channel": "paid_search", "created_at": at(1, 1)},
    ],
    "leads": LEADS,
    "opportunities": [
        {
            "id": 900,
            "account_id": 100,
            "owner_id": 10,
            "campaign_id": 50,
            "name": "Acme deal",
            "amount": _money("1000.00"),
            "amount_company": _money("1000.00"),
            "created_at": at(1, 10, 9),
            "closed_at": at(2, 9, 9),
            "is_closed": True,
            "is_won": True,
            "is_marketing_sourced": True,
            "stage": "Closed Won",
        },
        {
            "id": 901,
            "account_id": 101,
            "owner_id": 11,
            "name": "Globex deal",
            "amount": _money("5000.00"),
            "amount_company": _money("5000.00"),
            "created_at": at(1, 20),
            "closed_at": at(3, 15),
            "is_closed": True,
            "is_won": False,
            "stage": "Closed Lost",
        },
        {
            "id": 902,
            "account_id": 100,
            "owner_id": 10,
            "campaign_id": 50,
            "name": "Acme expansion",
            "amount": _money("2500.00"),
            "amount_company": _money("2500.00"),
            "created_at": at(2, 1),
            "is_marketing_sourced": True,
            "stage": "Proposal",
        },
        {
            "id": 903,
            "account_id": 102,
            "owner_id": 11,
            "name": "Initech renewal",
            "amount": _money("800.00"),
            "amount_company": _money("800.00"),
            "created_at": at(11, 1, year=2023),
            "closed_at": at(1, 15),
            "is_closed": True,
            "is_won": True,
            "stage": "Closed Won",
        },
    ],
    "stage_changes": [
        {"id": 1, "opportunity_id": 900, "stage": "Proposal", "changed_at": at(1, 20)},
        {"id": 2, "opportunity_id": 900, "stage": "Closed Won", "changed_at": at(2, 9, 9)},
    ],
    "touches": [
        {
            "id": 1,
            "account_id": 100,
            "campaign_id": 50,
            "channel": "webinar",
            "kind": "webinar",
            "occurred_at": at(1, 2, 8),
        },
        {
            "id": 2,
            "account_id": 100,
            "channel": "email",
            "kind": "email_click",
            "occurred_at": at(1, 8),
        },
        {
            "id": 3,
            "account_id": 101,
            "campaign_id": 51,
            "channel": "paid_search",
            "kind": "ad_click",
            "occurred_at": at(1, 9),
        },
        {
            "id": 4,
            "account_id": 102,
            "channel": "direct",
            "kind": "web_visit",
            "occurred_at": at(1, 3),
        },
    ],
    "spend": [
        {
            "id": 1,
            "campaign_id": 50,
            "channel": "webinar",
            "period_start": date(2024, 1, 1),
            "period_end": date(2024, 1, 31),
            "amount": _money("300.00"),
            "amount_company": _money("300.00"),
        },
        {
            "id": 2,
            "channel": "paid_search",
            "period_start": date(2024, 2, 1),
            "period_end": date(2024, 2, 29),
            "amount": _money("500.00"),
            "amount_company": _money("500.00"),
        },
    ],
    "mql_commitments": [
        {"id": 1, "month": date(2024, 1, 1), "mqls": 3},
        {"id": 2, "month": date(2024, 2, 1), "segment_id": 1, "mqls": 2},
        {"id": 3, "month": date(2024, 2, 1), "segment_id": 2, "mqls": 1},
        {"id": 4, "month": date(2024, 3, 1), "mqls": 2},
    ],
    "targets": [
        {
            "id": 1,
            "month": date(2024, 1, 1),
            "measure": "revenue",
            "amount": _money("1500.00"),
            "set_at": at(1, 1),
        },
        {
            "id": 2,
            "month": date(2024, 2, 1),
            "measure": "revenue",
            "amount": _money("1500.00"),
            "set_at": at(1, 1),
        },
        {
            "id": 3,
            "month": date(2024, 1, 1),
            "measure": "pipeline",
            "amount": _money("6000.00"),
            "set_at": at(1, 1),
        },
    ],
    "sales_costs": [
        {
            "id": 1,
            "month": date(2024, 1, 1),
            "kind": "salaries",
            "amount": _money("2000.00"),
            "recorded_at": at(1, 1),
        },
        {
            "id": 2,
            "month": date(2024, 2, 1),
            "kind": "salaries",
            "amount": _money("2000.00"),
            "recorded_at": at(1, 1),
        },
    ],
}


def arrow_tables(rows: dict[str, list[dict[str, Any]]] | None = None) -> dict[str, pa.Table]:
    """Every canonical table as Arrow, with the app's schema; absent rows are empty tables."""
    rows = ROWS if rows is None else rows
    tables = {}
    for name in CANONICAL:
        schema = canonical_schema(name)
        unknown = {k for r in rows.get(name, []) for k in r} - set(schema.names)
        assert not unknown, f"{name} has no column(s) {sorted(unknown)}"
        data = [{c: r.get(c) for c in schema.names} for r in rows.get(name, [])]
        tables[name] = pa.Table.from_pylist(data, schema=schema)
    return tables
