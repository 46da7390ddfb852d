"""Benchmark: build time and peak memory of the demo company, per size.

Each size is built by a fresh `accord demo --no-serve` process in an empty
data directory (SQLite), so the figure includes start-up and migrations.

    .venv/bin/python bench/demo_build.py [--sizes small,demo,large]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time


def build(size: str) -> tuple[float, float, dict[str, int]]:
    with tempfile.TemporaryDirectory() as data:
        env = {**os.environ, "ACCORD_DATA_DIR": data}
        env.pop("DATABASE_URL", None)
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "accord", "demo", "--size", size, "--no-serve"],
            env=env,
            check=True,
            capture_output=True,
        )
        seconds = time.perf_counter() - start
        peak_mib = max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, before) / 1024
        stats = subprocess.run(
            [sys.executable, "-m", "accord", "stats", "--json"],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        return seconds, peak_mib, json.loads(stats.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="small,demo")
    args = parser.parse_args()
    print(f"{'size':<6} {'seconds':>8} {'peak MiB':>9} {'leads':>8} {'touches':>10} {'opps':>6}")
    for size in args.sizes.split(","):
        seconds, peak, counts = build(size)
        print(
            f"{size:<6} {seconds:>8.1f} {peak:>9.0f} {counts['leads']:>8,} "
            f"{counts['touches']:>10,} {counts['opportunities']:>6,}",
            flush=True,
        )


if __name__ == "__main__":
    main()
