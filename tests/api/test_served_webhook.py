"""Concurrent signed deliveries against the real server, SQLite and PostgreSQL.

16 senders, 400 leads, every tenth sent twice (half of those by two senders
at the same moment): exactly 400 leads stored, no 5xx, no "database is locked".
"""

from __future__ import annotations

import json
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from accord.api.loadtest import (
    accord_command,
    accord_served,
    deliveries,
    fire,
    server_env,
    with_retries,
)

pytestmark = pytest.mark.nodb
SECRET = "served-webhook-secret"
LEADS = 400
SENDERS = 16
PG_SERVER = "postgres://postgres@127.0.0.1:5432"


def run_load(tmp_path: Path, database_url: str | None) -> None:
    env = server_env(data_dir=tmp_path, secret=SECRET, database_url=database_url)
    payloads = with_retries(deliveries(LEADS, contacts=300))
    log = tmp_path / "server.log"
    with accord_served(env, log=log) as served:
        outcomes = fire(served, payloads, secret=SECRET, senders=SENDERS)
    statuses = Counter(outcome.status for outcome in outcomes)
    assert statuses == {202: LEADS, 200: len(payloads) - LEADS}, statuses
    leads_by_id: dict[str, set[int]] = {}
    for outcome in outcomes:
        leads_by_id.setdefault(outcome.delivery_id, set()).add(outcome.body["lead"])
    assert all(len(ids) == 1 for ids in leads_by_id.values())
    counts = json.loads(accord_command("stats", "--json", env=env))
    assert (counts["leads"], counts["contacts"], counts["touches"]) == (LEADS, 300, 2 * LEADS)
    server_log = log.read_text()
    assert "database is locked" not in server_log
    assert "Traceback" not in server_log, server_log[-3000:]


def test_concurrent_deliveries_on_sqlite(tmp_path: Path) -> None:
    run_load(tmp_path, None)


@pytest.fixture
def fresh_postgres() -> Iterator[str]:
    psycopg = pytest.importorskip("psycopg")
    name = f"accord_hook_{uuid.uuid4().hex[:12]}"
    try:
        admin = psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        pytest.skip(f"PostgreSQL is not reachable at {PG_SERVER}: {exc}")
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield f"{PG_SERVER}/{name}"
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.postgres
def test_concurrent_deliveries_on_postgres(tmp_path: Path, fresh_postgres: str) -> None:
    run_load(tmp_path, fresh_postgres)
