"""Benchmark: ``accord attribution`` (all models) against peers on one generated file per size.

    .venv/bin/python bench/attribution.py --sizes 1M,10M [--peers channelattribution,mam]
                                          [--repeat 3]

Every run is a separate process timed whole (start-up included) by /usr/bin/time,
which also reports its peak resident memory. Accord and the bare scan run
``--repeat`` times and report the median run (by wall time); the machine's load
average is printed with each table, since shared machines skew wall times.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from attribution_data import touches_file_write

ROOT = Path(__file__).resolve().parents[1]
PEERS = ("channelattribution", "mam")
TIMEOUT_SECONDS = 1800


@dataclass(frozen=True)
class Run:
    name: str
    seconds: float | None
    peak_mb: float | None
    cpu_seconds: float | None = None
    note: str = ""


def size_parse(text: str) -> int:
    text = text.strip().upper()
    scale = {"K": 1_000, "M": 1_000_000}.get(text[-1], 1)
    return int(float(text.rstrip("KM")) * scale)


def timed(name: str, argv: list[str]) -> Run:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    command = ["/usr/bin/time", "-f", "@@ %e %M %U %S", *argv]
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, env=env, timeout=TIMEOUT_SECONDS, check=False
        )
    except subprocess.TimeoutExpired:
        return Run(name, None, None, note=f"timed out after {TIMEOUT_SECONDS} s")
    marker = [line for line in done.stderr.splitlines() if line.startswith("@@ ")]
    if done.returncode != 0 or not marker:
        reason = (done.stderr.strip().splitlines() or ["failed"])[-2 if marker else -1]
        return Run(name, None, None, note=reason[:120])
    seconds, kilobytes, user, system = marker[-1].split()[1:]
    return Run(name, float(seconds), int(kilobytes) / 1024, float(user) + float(system))


def median_of(runs: list[Run]) -> Run:
    done = sorted((r for r in runs if r.seconds is not None), key=lambda r: r.seconds)
    return done[len(done) // 2] if done else runs[0]


def runs_for(path: Path, peers: tuple[str, ...], repeat: int = 1) -> list[Run]:
    python = sys.executable
    helper = str(Path(__file__).with_name("attribution_peers.py"))
    accord = [python, "-m", "accord", "attribution", "--input", str(path), "--model", "all"]
    scan = [python, helper, "duckdb_scan", str(path)]
    results = [
        median_of([timed("accord (all models)", [*accord, "--json"]) for _ in range(repeat)]),
        median_of([timed("duckdb bare scan", scan) for _ in range(repeat)]),
    ]
    results += [timed(peer, [python, helper, peer, str(path)]) for peer in peers]
    return results


def report(size: int, runs: list[Run]) -> str:
    accord, scan = runs[0], runs[1]
    lines = [
        f"### {size:,} touches",
        "",
        "| run | wall s | CPU s | peak MB | accord / run (wall) | accord / run (memory) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for run in runs:
        if run.seconds is None:
            lines.append(f"| {run.name} | - | - | - | - | {run.note} |")
            continue
        ratio_t = accord.seconds / run.seconds if accord.seconds else float("nan")
        ratio_m = accord.peak_mb / run.peak_mb if accord.peak_mb else float("nan")
        lines.append(
            f"| {run.name} | {run.seconds:.2f} | {run.cpu_seconds:.2f} | {run.peak_mb:,.0f} "
            f"| {ratio_t:.2f} | {ratio_m:.2f} |"
        )
    if accord.seconds and scan.seconds:
        lines.append("")
        lines.append(f"Accord takes {accord.seconds / scan.seconds:.1f}x a bare DuckDB scan.")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1M,10M", help="comma-separated, e.g. 1M,10M,50M")
    parser.add_argument("--peers", default=",".join(PEERS))
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/accord-bench"))
    parser.add_argument("--repeat", type=int, default=1, help="runs of accord and the scan")
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    peers = tuple(p for p in args.peers.split(",") if p)
    for size in map(size_parse, args.sizes.split(",")):
        path = args.workdir / f"touches_{size}.parquet"
        if not path.exists():
            touches_file_write(path, touches=size)
        runs = runs_for(path, peers, repeat=args.repeat)
        print(report(size, runs), flush=True)
        print(f"\nload average after the runs: {os.getloadavg()}\n", flush=True)


if __name__ == "__main__":
    main()
