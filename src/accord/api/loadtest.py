"""Drive the webhook from outside, as senders do: start ``accord serve``, fire signed deliveries.

Used by the concurrency tests and ``bench/webhook.py``; also a reference for
writing a sender. Imports no Django, so it runs in the client process only.
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from accord.api.webhook import SIGNATURE_HEADER, signature_make

HOOK_PATH = "/api/hooks/leads"
CONNECTION_RETRIES = 5


@dataclass(frozen=True)
class Outcome:
    delivery_id: str
    status: int
    body: dict[str, Any]
    seconds: float


@dataclass(frozen=True)
class Served:
    base: str
    host: str
    port: int
    log: Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def accord_command(*args: str, env: dict[str, str], timeout: float = 240) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "accord", *args],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    return done.stdout


@contextmanager
def accord_served(env: dict[str, str], *, log: Path, threads: int = 8) -> Iterator[Served]:
    """``accord serve`` on a free port (migrated first through ``accord stats``)."""
    accord_command("stats", "--json", env=env)
    port = free_port()
    command = ["serve", "--port", str(port), "--threads", str(threads)]
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "accord", *command],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            _wait_until_up(base, proc)
            yield Served(base, "127.0.0.1", port, log)
        finally:
            proc.terminate()
            proc.wait(timeout=20)


def _wait_until_up(base: str, proc: subprocess.Popen[bytes]) -> None:
    for _ in range(300):
        if proc.poll() is not None:
            raise RuntimeError(f"accord serve exited with {proc.returncode}")
        try:
            urllib.request.urlopen(f"{base}/health", timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("accord serve did not answer within 30 s")


class Sender:
    """One keep-alive connection; reconnects and resends when the connection drops."""

    def __init__(self, host: str, port: int, secret: str) -> None:
        self.host, self.port, self.secret = host, port, secret
        self.connection: http.client.HTTPConnection | None = None

    def send(self, payload: dict[str, Any]) -> Outcome:
        body = json.dumps(payload).encode()
        for attempt in range(CONNECTION_RETRIES):
            try:
                return self._send_once(payload["id"], body)
            except (OSError, http.client.HTTPException):
                self.close()
                if attempt == CONNECTION_RETRIES - 1:
                    raise
                time.sleep(0.05 * (attempt + 1))
        raise AssertionError("unreachable")

    def _send_once(self, delivery_id: str, body: bytes) -> Outcome:
        if self.connection is None:
            self.connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
        headers = {
            "Content-Type": "application/json",
            SIGNATURE_HEADER: signature_make(
                secret=self.secret, timestamp=int(time.time()), body=body
            ),
        }
        started = time.perf_counter()
        self.connection.request("POST", HOOK_PATH, body=body, headers=headers)
        response = self.connection.getresponse()
        raw = response.read()
        seconds = time.perf_counter() - started
        return Outcome(delivery_id, response.status, _json_or_text(raw), seconds)

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def _json_or_text(raw: bytes) -> dict[str, Any]:
    try:
        return json.loads(raw)
    except ValueError:
        return {"text": raw.decode(errors="replace")[:500]}


def fire(
    served: Served, payloads: Sequence[dict[str, Any]], *, secret: str, senders: int
) -> list[Outcome]:
    """Send every payload once, from ``senders`` threads taking them in order."""
    local = threading.local()
    made: list[Sender] = []

    def send(payload: dict[str, Any]) -> Outcome:
        if not hasattr(local, "sender"):
            local.sender = Sender(served.host, served.port, secret)
            made.append(local.sender)
        return local.sender.send(payload)

    try:
        with ThreadPoolExecutor(max_workers=senders) as pool:
            return list(pool.map(send, payloads))
    finally:
        for sender in made:
            sender.close()


def deliveries(count: int, *, prefix: str = "lead", contacts: int | None = None) -> list[dict]:
    """``count`` form fills; with ``contacts``, addresses repeat so contacts are shared."""
    people = contacts or count
    return [
        {
            "id": f"{prefix}-{n}",
            "email": f"person{n % people}@example.com",
            "first_name": "Pat",
            "last_name": f"Number {n}",
            "company": f"Company {n % 97}",
            "source": "load test",
            "touches": [{"channel": "paid_search"}, {"channel": "webinar", "kind": "webinar"}],
        }
        for n in range(count)
    ]


def with_retries(payloads: list[dict], *, every: int = 10) -> list[dict]:
    """Every ``every``-th delivery sent twice: half right after itself (so two senders
    carry it at the same moment), half again at the end (a late retry)."""
    out: list[dict] = []
    late: list[dict] = []
    for n, payload in enumerate(payloads):
        out.append(payload)
        if n % every == 0:
            (out if (n // every) % 2 == 0 else late).append(payload)
    return out + late


def server_env(*, data_dir: Path, secret: str, database_url: str | None) -> dict[str, str]:
    env = {**os.environ, "ACCORD_DATA_DIR": str(data_dir), "ACCORD_WEBHOOK_SECRET": secret}
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env
