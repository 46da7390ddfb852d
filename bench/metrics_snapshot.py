"""Benchmark: copying the canonical tables to a Parquet snapshot, time and peak memory.

Fills an empty SQLite data directory with one account and N touches (one
INSERT … SELECT, so the fill is not measured), then takes one snapshot.

    .venv/bin/python bench/metrics_snapshot.py [--touches 1000000] [--data DIR]
"""

from __future__ import annotations

import argparse
import os
import resource
import tempfile
import time

FILL = """
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %s)
INSERT INTO crm_touch (source, account_id, channel, kind, occurred_at, created_at, updated_at)
SELECT 'accord', 1, 'email', 'email_open', datetime('2024-01-01', '+' || (i %% 500) || ' days'),
       '2024-01-01 00:00:00', '2024-01-01 00:00:00' FROM n
"""
ACCOUNT = (
    "INSERT INTO crm_account (source, name, domain, industry, country, created_at, updated_at)"
    " VALUES ('accord', 'A', '', '', '', '2024-01-01 00:00:00', '2024-01-01 00:00:00')"
)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--touches", type=int, default=1_000_000)
    parser.add_argument("--data", default=None)
    args = parser.parse_args()
    os.environ["ACCORD_DATA_DIR"] = args.data or tempfile.mkdtemp(prefix="accord-snap-")
    os.environ.pop("DATABASE_URL", None)
    from accord.cli.runtime import setup_django

    setup_django()
    from django.db import connection

    from accord.crm.models import Touch
    from accord.metrics import snapshot

    if not Touch.objects.exists():
        with connection.cursor() as cursor:
            cursor.execute(ACCOUNT)
            cursor.execute(FILL, [args.touches])
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    start = time.perf_counter()
    taken = snapshot.snapshot_take()
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{taken.rows['touches']:,} touches: {seconds:.1f} s, "
        f"peak {peak:.0f} MiB ({before:.0f} MiB before the copy)"
    )


if __name__ == "__main__":
    main()
