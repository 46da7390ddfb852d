"""Benchmark: the signed lead webhook under 16 concurrent senders, SQLite and PostgreSQL.

Starts `accord serve` on a fresh data directory (and, for PostgreSQL, a fresh
database it drops afterwards), warms it up, then sends N distinct signed
deliveries over keep-alive connections on loopback and reports accepted
leads/s and p50/p99 latency as the senders see it.

    .venv/bin/python bench/webhook.py [--leads 5000] [--senders 16] [--threads 8]
        [--backends sqlite,postgres] [--tasks immediate|database]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

from accord.api.loadtest import accord_served, deliveries, fire, server_env

SECRET = "bench-webhook-secret"
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
TASK_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}


@contextmanager
def fresh_postgres() -> Iterator[str]:
    import psycopg

    name = f"accord_hook_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield f"{PG_SERVER}/{name}"
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run(backend: str, args: argparse.Namespace) -> dict[str, object]:
    database = fresh_postgres() if backend == "postgres" else nullcontext(None)
    with tempfile.TemporaryDirectory() as tmp, database as url:
        env = server_env(data_dir=Path(tmp), secret=SECRET, database_url=url)
        env["ACCORD_TASKS_BACKEND"] = TASK_BACKENDS[args.tasks]
        with accord_served(env, log=Path(tmp) / "server.log", threads=args.threads) as served:
            fire(served, deliveries(200, prefix="warm"), secret=SECRET, senders=args.senders)
            payloads = deliveries(args.leads, prefix="bench")
            started = time.perf_counter()
            outcomes = fire(served, payloads, secret=SECRET, senders=args.senders)
            elapsed = time.perf_counter() - started
        locked = "database is locked" in (Path(tmp) / "server.log").read_text()
    latencies = sorted(outcome.seconds * 1000 for outcome in outcomes)
    statuses = Counter(outcome.status for outcome in outcomes)
    return {
        "backend": backend,
        "accepted": statuses[202],
        "per_s": statuses[202] / elapsed,
        "p50": statistics.median(latencies),
        "p99": latencies[int(len(latencies) * 0.99) - 1],
        "other": {k: v for k, v in statuses.items() if k != 202},
        "locked": locked,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=5000)
    parser.add_argument("--senders", type=int, default=16)
    parser.add_argument("--threads", type=int, default=8, help="accord serve --threads")
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--tasks", choices=sorted(TASK_BACKENDS), default="immediate")
    args = parser.parse_args()
    print(
        f"{args.leads} leads, {args.senders} senders, {args.threads} server threads, "
        f"tasks: {args.tasks}"
    )
    print(f"{'backend':<10} {'accepted':>9} {'leads/s':>9} {'p50 ms':>8} {'p99 ms':>8}  other")
    for backend in args.backends.split(","):
        row = run(backend, args)
        print(
            f"{row['backend']:<10} {row['accepted']:>9} {row['per_s']:>9.0f} "
            f"{row['p50']:>8.1f} {row['p99']:>8.1f}  {row['other'] or '-'}"
            + ("  database is locked!" if row["locked"] else ""),
            flush=True,
        )


if __name__ == "__main__":
    main()
