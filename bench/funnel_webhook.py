"""Benchmark: webhook → score → MQL → route → SLA clocks, then count what arrived.

Starts `accord serve` on a fresh data directory (and, for PostgreSQL, a fresh
database it drops afterwards) with a sales team of eight reps, sends N
distinct signed form fills from concurrent senders — every tenth one sent
twice, half at once and half as a late retry — and reports leads/s and
p50/p99 latency as the senders see them. Each delivery is scored (a VP who
filled a form and watched a webinar: 60 points), becomes an MQL, is routed
and gets its two SLA deadlines inside the request (immediate task backend),
so the latency covers the whole path.

Afterwards it counts in the database: every distinct delivery id must be
exactly one lead, an MQL with an owner and both deadlines, with exactly one
"created", one "became MQL" and one "assigned" event. Lost or duplicated
leads make it exit with status 1.

    .venv/bin/python bench/funnel_webhook.py [--leads 2000] [--senders 8] [--threads 8]
        [--backends sqlite,postgres]

With ``--backends postgres`` the server is ``DATABASE_URL``'s (default
postgres://postgres@127.0.0.1:5432); a throwaway database is made there.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

from accord.api.loadtest import Outcome, accord_served, fire, server_env, with_retries

SECRET = "bench-funnel-secret"
REPS = 8
MQL_TITLE = "VP Marketing"


def pg_server() -> str:
    url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    return url.rsplit("/", 1)[0]


@contextmanager
def fresh_postgres() -> Iterator[str]:
    import psycopg

    name = f"accord_funnel_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{pg_server()}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield f"{pg_server()}/{name}"
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def form_fills(count: int, *, prefix: str) -> list[dict[str, Any]]:
    """Distinct buyers who each clear the MQL threshold on the shipped rules."""
    return [
        {
            "id": f"{prefix}-{n}",
            "email": f"{prefix}.buyer{n}@example.com",
            "first_name": "Sam",
            "last_name": f"Buyer {n}",
            "title": MQL_TITLE,
            "company": f"Company {n % 211}",
            "source": "funnel bench",
            "touches": [
                {"channel": "paid_search", "kind": "form_fill"},
                {"channel": "webinar", "kind": "webinar"},
            ],
        }
        for n in range(count)
    ]


# --- the part that runs inside the server's environment (a subprocess) ----------


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accord.settings")
    import django

    django.setup()


def inside_seed() -> dict[str, Any]:
    """A sales team of reps with equal capacity, the shipped rules and SLA stored."""
    _django()
    from accord.directory.models import Team, TeamKind
    from accord.directory.services import person_create
    from accord.funnel.services import funnel_defaults_ensure

    team = Team.objects.create(name="Bench sales", kind=TeamKind.SALES)
    for n in range(REPS):
        person_create(
            name=f"Bench Rep {n}", email=f"bench.rep{n}@example.com", role="sales_rep", team=team
        )
    funnel_defaults_ensure()
    return {"reps": REPS}


def inside_count(prefix: str) -> dict[str, Any]:
    """What the database holds for the deliveries whose id starts with ``prefix``."""
    _django()
    from django.db.models import Count, Q

    from accord.crm.choices import LeadEventKind, LeadStage
    from accord.crm.models import Lead

    leads = Lead.objects.filter(source="webhook", external_id__startswith=f"{prefix}-")
    per_id = leads.values("external_id").annotate(n=Count("pk"))
    events = leads.annotate(
        created=Count("events", filter=Q(events__kind=LeadEventKind.CREATED)),
        became_mql=Count("events", filter=Q(events__to_stage=LeadStage.MQL)),
        assigned=Count("events", filter=Q(events__kind=LeadEventKind.ASSIGNED)),
    )
    complete = Q(stage=LeadStage.MQL, owner__isnull=False)
    complete &= Q(accept_due_at__isnull=False, contact_due_at__isnull=False)
    return {
        "leads": leads.count(),
        "distinct_ids": per_id.count(),
        "ids_twice": per_id.filter(n__gt=1).count(),
        "routed_with_clocks": leads.filter(complete).count(),
        "events_not_once": events.exclude(created=1, became_mql=1, assigned=1).count(),
        "owners": dict(Counter(leads.values_list("owner__name", flat=True))),
    }


# --- the driver ----------------------------------------------------------------------


def inside(env: dict[str, str], *args: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, __file__, "--inside", *args],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=600,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def run(backend: str, args: argparse.Namespace) -> dict[str, Any]:
    database = fresh_postgres() if backend == "postgres" else nullcontext(None)
    with tempfile.TemporaryDirectory() as tmp, database as url:
        env = server_env(data_dir=Path(tmp), secret=SECRET, database_url=url)
        env["ACCORD_TASKS_BACKEND"] = "django_tasks.backends.immediate.ImmediateBackend"
        with accord_served(env, log=Path(tmp) / "server.log", threads=args.threads) as served:
            inside(env, "seed")
            fire(served, form_fills(100, prefix="warm"), secret=SECRET, senders=args.senders)
            unique = form_fills(args.leads, prefix="bench")
            payloads = with_retries(unique, every=10)
            started = time.perf_counter()
            outcomes = fire(served, payloads, secret=SECRET, senders=args.senders)
            elapsed = time.perf_counter() - started
        counted = inside(env, "count", "bench")
    return _summary(backend, len(unique), outcomes, elapsed, counted)


def _summary(
    backend: str, unique: int, outcomes: list[Outcome], elapsed: float, counted: dict[str, Any]
) -> dict[str, Any]:
    latencies = sorted(outcome.seconds * 1000 for outcome in outcomes)
    statuses = Counter(outcome.status for outcome in outcomes)
    return {
        "backend": backend,
        "sent": len(outcomes),
        "unique": unique,
        "statuses": dict(statuses),
        "leads_per_s": counted["leads"] / elapsed,
        "p50": statistics.median(latencies),
        "p99": latencies[max(0, int(len(latencies) * 0.99) - 1)],
        "lost": unique - counted["distinct_ids"],
        "duplicated": counted["leads"] - counted["distinct_ids"] + counted["ids_twice"],
        "not_routed": counted["leads"] - counted["routed_with_clocks"],
        "events_not_once": counted["events_not_once"],
        "owners": counted["owners"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--leads", type=int, default=2000)
    parser.add_argument("--senders", type=int, default=8)
    parser.add_argument("--threads", type=int, default=8, help="accord serve --threads")
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--inside", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inside:
        what, *rest = args.inside
        print(json.dumps(inside_seed() if what == "seed" else inside_count(*rest)))
        return
    print(f"{args.leads} leads (+10% resent), {args.senders} senders, {args.threads} threads")
    header = "backend    sent  leads/s  p50 ms  p99 ms  lost  dup  unrouted  events≠1  statuses"
    print(header)
    failed = False
    for backend in args.backends.split(","):
        row = run(backend, args)
        print(
            f"{row['backend']:<9} {row['sent']:>5} {row['leads_per_s']:>8.0f} "
            f"{row['p50']:>7.1f} {row['p99']:>7.1f} {row['lost']:>5} {row['duplicated']:>4} "
            f"{row['not_routed']:>9} {row['events_not_once']:>9}  {row['statuses']}",
            flush=True,
        )
        print(f"  leads per rep: {sorted(row['owners'].values())}", flush=True)
        failed |= bool(row["lost"] or row["duplicated"] or row["not_routed"])
        failed |= bool(row["events_not_once"])
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
