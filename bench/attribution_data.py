"""Deterministic synthetic touch files for the attribution benchmark.

About five touches per journey, twelve channels, 4% of journeys converting.
Rows are written in time order, as an event log export would be, so every
engine has to regroup touches by journey itself.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import duckdb

CHANNELS = (
    "direct",
    "organic_search",
    "paid_search",
    "email",
    "webinar",
    "event",
    "display",
    "social_paid",
    "social_organic",
    "referral",
    "partner",
    "sales_call",
)
TOUCHES_PER_JOURNEY = 5
CONVERSION_RATE = 0.04


def _channel_case(column: str) -> str:
    arms = " ".join(f"WHEN {i} THEN '{name}'" for i, name in enumerate(CHANNELS))
    return f"CASE {column} {arms} END"


def touches_file_write(path: Path, *, touches: int, seed: int = 7) -> Path:
    """Write ``touches`` rows (approximately; journeys are never cut) to Parquet or CSV."""
    journeys = max(1, touches // TOUCHES_PER_JOURNEY)
    n_channels = len(CHANNELS)
    con = duckdb.connect()
    con.execute("SET preserve_insertion_order = false")
    con.execute(f"SELECT setseed({1 / (seed + 1)})")
    query = f"""
    WITH j AS (
        SELECT
            range AS journey_id,
            hash(range, {seed}) AS h,
            (1 + hash(range, {seed} + 1) % 9)::BIGINT AS n_touch,
            (hash(range, {seed} + 2) % 10000) < {int(CONVERSION_RATE * 10000)} AS converted,
            TIMESTAMP '2024-01-01' + to_seconds((hash(range, {seed} + 3) % 31536000)::BIGINT)
                AS start_ts
        FROM range({journeys})
    ), t AS (
        SELECT
            j.journey_id,
            k.range AS k,
            j.n_touch,
            j.converted,
            j.start_ts + to_seconds(
                (k.range * 86400 * 3 + hash(j.journey_id, k.range, {seed}) % 259200)::BIGINT
            ) AS ts,
            hash(j.journey_id, k.range, {seed} + 5) AS hc
        FROM j, range(j.n_touch) AS k
    )
    SELECT
        journey_id,
        ts,
        {_channel_case(f"((hc % 1000) * (hc % 1000)) // {1000 * 1000 // n_channels + 1}")}
            AS channel,
        'cmp_' || (hc % 40)::VARCHAR AS campaign,
        converted,
        CASE WHEN converted THEN (1000 + hash(journey_id, {seed} + 9) % 49000)::DOUBLE ELSE 0.0 END
            AS value,
        CASE
            WHEN k = 0 AND n_touch >= 3 THEN 'lead_created'
            WHEN k = n_touch - 2 AND n_touch >= 3 THEN 'opportunity_created'
            WHEN k = n_touch - 1 AND converted AND n_touch >= 3 THEN 'closed_won'
        END AS milestone
    FROM t
    ORDER BY ts
    """
    fmt = "(FORMAT csv, HEADER)" if path.suffix == ".csv" else "(FORMAT parquet)"
    con.execute(f"COPY ({query}) TO '{path}' {fmt}")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("path", type=Path)
    parser.add_argument("--touches", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    touches_file_write(args.path, touches=args.touches, seed=args.seed)


if __name__ == "__main__":
    main()
