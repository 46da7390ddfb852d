"""Small touch tables for the attribution tests."""

from __future__ import annotations

from datetime import datetime, timedelta

import pyarrow as pa

TOUCH_SCHEMA = pa.schema(
    [
        ("journey_id", pa.string()),
        ("ts", pa.timestamp("us")),
        ("channel", pa.string()),
        ("campaign", pa.string()),
        ("converted", pa.bool_()),
        ("value", pa.float64()),
        ("milestone", pa.string()),
    ]
)
SPARK_DDL = (
    "journey_id string, ts timestamp, channel string, campaign string, "
    "converted boolean, value double, milestone string"
)
T0 = datetime(2024, 3, 1)


def touch_table(rows: list[tuple]) -> pa.Table:
    """Rows of (journey, day offset, channel, converted, value[, milestone[, campaign]])."""
    columns: dict[str, list] = {name: [] for name in TOUCH_SCHEMA.names}
    for journey, day, channel, converted, value, *rest in rows:
        milestone = rest[0] if rest else None
        campaign = rest[1] if len(rest) > 1 else None
        columns["journey_id"].append(str(journey))
        columns["ts"].append(T0 + timedelta(days=day))
        columns["channel"].append(channel)
        columns["campaign"].append(campaign)
        columns["converted"].append(converted)
        columns["value"].append(float(value))
        columns["milestone"].append(milestone)
    return pa.table(columns, schema=TOUCH_SCHEMA)
