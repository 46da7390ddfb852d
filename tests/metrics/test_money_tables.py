"""Small canonical tables for the money, revenue, ROI, waterfall and ledger tests.

``tables(opportunities=[{...}], ...)`` gives a :class:`Tables` of memtables with
the columns and types of the app's database tables; any column a row leaves
out is empty, any table left out has no rows.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import ibis
import pyarrow as pa
import pytest

from accord.metrics.tables import Tables

# ibis 12 still calls DuckDB's deprecated fetch_arrow_table() and a pandas 3 option.
IBIS_WARNINGS = [
    pytest.mark.filterwarnings(r"ignore:fetch_arrow_table\(\) is deprecated:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning:ibis.formats"),
]
pytestmark = [pytest.mark.nodb, *IBIS_WARNINGS]

TS = pa.timestamp("us", tz="UTC")
MONEY = pa.decimal128(16, 2)
ID = pa.int64()
SCHEMAS: dict[str, dict[str, pa.DataType]] = {
    "segments": {"id": ID, "name": pa.string()},
    "people": {"id": ID, "name": pa.string()},
    "accounts": {"id": ID, "name": pa.string(), "segment_id": ID},
    "campaigns": {"id": ID, "name": pa.string(), "channel": pa.string(), "segment_id": ID},
    "opportunities": {
        "id": ID,
        "account_id": ID,
        "owner_id": ID,
        "campaign_id": ID,
        "amount_company": MONEY,
        "created_at": TS,
        "closed_at": TS,
        "is_won": pa.bool_(),
        "is_closed": pa.bool_(),
        "is_marketing_sourced": pa.bool_(),
    },
    "leads": {
        "id": ID,
        "account_id": ID,
        "segment_id": ID,
        "campaign_id": ID,
        "owner_id": ID,
        "mql_at": TS,
        "sal_at": TS,
        "sql_at": TS,
        "opportunity_at": TS,
        "customer_at": TS,
        "recycled_at": TS,
        "disqualified_at": TS,
        "accept_due_at": TS,
        "contact_due_at": TS,
        "first_contact_at": TS,
        "converted_opportunity_id": ID,
    },
    "touches": {
        "id": ID,
        "account_id": ID,
        "contact_id": ID,
        "campaign_id": ID,
        "channel": pa.string(),
        "kind": pa.string(),
        "occurred_at": TS,
    },
    "spend": {
        "id": ID,
        "campaign_id": ID,
        "channel": pa.string(),
        "period_start": pa.date32(),
        "period_end": pa.date32(),
        "amount_company": MONEY,
    },
    "sales_costs": {
        "id": ID,
        "month": pa.date32(),
        "segment_id": ID,
        "team_id": ID,
        "kind": pa.string(),
        "amount": MONEY,
    },
    "targets": {
        "id": ID,
        "month": pa.date32(),
        "segment_id": ID,
        "measure": pa.string(),
        "amount": MONEY,
    },
    "mql_commitments": {"id": ID, "month": pa.date32(), "segment_id": ID, "mqls": ID},
}


def at(year: int, month: int, day: int = 1, hour: int = 0) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)


def money(value: str | int) -> Decimal:
    return Decimal(str(value))


def table(name: str, rows: list[dict[str, object]]) -> ibis.Table:
    schema = SCHEMAS[name]
    unknown = {key for row in rows for key in row} - set(schema)
    assert not unknown, f"{name}: no column {unknown}"
    columns = {
        col: pa.array([_cell(row.get(col), kind) for row in rows], type=kind)
        for col, kind in schema.items()
    }
    return ibis.memtable(pa.table(columns))


def _cell(value: object, kind: pa.DataType) -> object:
    if isinstance(value, int | str) and pa.types.is_decimal(kind):
        return Decimal(str(value))
    return value


def tables(**rows: list[dict[str, object]]) -> Tables:
    return Tables({name: table(name, rows.get(name, [])) for name in SCHEMAS})


def test_a_table_left_out_is_empty_with_its_columns() -> None:
    built = tables(segments=[{"id": 1, "name": "SMB"}])
    assert built.segments.count().to_pyarrow().as_py() == 1
    assert built.leads.count().to_pyarrow().as_py() == 0
    assert built.opportunities.schema()["amount_company"].is_decimal()
    assert built.spend.schema()["period_start"].is_date()
    assert date(2025, 1, 1) < date(2025, 2, 1)
