"""Benchmark: `accord import` of a large Salesforce lead export, rows/s and peak memory.

Writes a Data Loader style Lead CSV (every row a contact and a lead, some
multi-line descriptions, converted and open leads), then imports it twice
into an empty data directory: the first run creates every record, the second
finds every row unchanged. Each run is a fresh `accord import` process, so the
peak memory is that of the import alone.

    .venv/bin/python bench/import_rows.py [--rows 1000000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HEADER = (
    "ID", "FIRSTNAME", "LASTNAME", "EMAIL", "COMPANY", "TITLE", "LEADSOURCE", "STATUS",
    "ISCONVERTED", "CONVERTEDDATE", "DESCRIPTION", "CREATEDDATE",
)  # fmt: skip
STATUSES = ("Open - Not Contacted", "Working - Contacted", "Closed - Not Converted", "Nurture")
SOURCES = ("Web", "Trade Show", "Partner Referral", "Advertisement", "Webinar")
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def lead_id(n: int) -> str:
    digits = ""
    for _ in range(9):
        n, r = divmod(n, 62)
        digits = ALPHABET[r] + digits
    return f"00Q5g0{digits}"  # 15 characters, case-sensitive


def row(n: int) -> tuple[str, ...]:
    status = "Closed - Converted" if n % 11 == 0 else STATUSES[n % len(STATUSES)]
    converted = status == "Closed - Converted"
    day = 1 + n % 28
    return (
        lead_id(n),
        f"First{n}",
        f"Last{n}",
        f"Person.{n}@Company{n % 5000}.example",
        f"Company {n % 5000}",
        "Director" if n % 3 else "Analyst",
        SOURCES[n % len(SOURCES)],
        status,
        "true" if converted else "false",
        f"2024-04-{day:02d}" if converted else "",
        "Met at the booth,\nasked for pricing" if n % 17 == 0 else "",
        f"2024-03-{day:02d}T{n % 24:02d}:{n % 60:02d}:00.000+0000",
    )


def write_export(path: Path, rows: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_ALL)
        writer.writerow(HEADER)
        for n in range(rows):
            writer.writerow(row(n))


def timed_import(path: Path, data: Path) -> tuple[float, float, str]:
    env = {**os.environ, "ACCORD_DATA_DIR": str(data)}
    env.pop("DATABASE_URL", None)
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "accord", "import", str(path)],
        env=env,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - start
    if done.returncode:
        sys.exit(f"import failed:\n{done.stdout}\n{done.stderr}")
    peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return seconds, peak_mib, done.stdout.splitlines()[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--keep", type=Path, help="Keep the export and database here.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        export = folder / "leads.csv"
        write_export(export, args.rows)
        size_mib = export.stat().st_size / 2**20
        print(f"{args.rows:,} lead rows, {size_mib:,.0f} MiB")
        # Migrate first, so the timed runs measure the import alone.
        env = {**os.environ, "ACCORD_DATA_DIR": str(folder / "data")}
        subprocess.run([sys.executable, "-m", "accord", "stats"], env=env, check=True,
                       capture_output=True)  # fmt: skip
        for label in ("first import", "re-import"):
            seconds, peak, summary = timed_import(export, folder / "data")
            print(f"{label}: {seconds:,.1f} s, {args.rows / seconds:,.0f} rows/s, "
                  f"peak {peak:,.0f} MiB  [{summary}]")  # fmt: skip


if __name__ == "__main__":
    main()
