"""Benchmark: the main pages under 20 concurrent logged-in sessions on the production server.

Builds (or reuses) a data directory holding the demo company, starts
`accord serve` (waitress), logs in one session per seat across the demo's
roles, loads each role's main pages once to warm the metric cache (those
first views are reported apart), then has every session load its pages in a
loop and reports p50/p95/p99 per page and overall, as the browser would see it.

    .venv/bin/python bench/pages.py [--size small|demo] [--data-dir DIR] [--sessions 20]
        [--rounds 5] [--threads 8]
"""

from __future__ import annotations

import argparse
import http.cookiejar
import re
import statistics
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from collections import defaultdict
from pathlib import Path

from accord.api.loadtest import accord_command, accord_served, server_env

PASSWORD = "accord-demo"
LEADER_PAGES = ("/", "/cockpit/", "/metrics/", "/funnel/mqls/", "/meetings/", "/report/")
PAGES = {
    "rep": ("/", "/funnel/", "/feedback/new/", "/playbook/collateral/"),
    "marketer": ("/", "/funnel/mqls/", "/feedback/", "/playbook/collateral/"),
    "sales-manager": LEADER_PAGES,
    "marketing-manager": LEADER_PAGES,
    "cro": LEADER_PAGES,
}
CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


class Session:
    def __init__(self, base: str, username: str) -> None:
        self.base, self.username = base, username
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def login(self) -> None:
        page = self.opener.open(f"{self.base}/login/", timeout=60).read()
        token = CSRF.search(page)
        if token is None:
            raise RuntimeError("no CSRF token on the login page")
        form = {"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": token[1]}
        body = urllib.parse.urlencode(form).encode()
        request = urllib.request.Request(
            f"{self.base}/login/", data=body, headers={"Referer": f"{self.base}/login/"}
        )
        landed = self.opener.open(request, timeout=60)
        if landed.url.rstrip("/") != self.base:
            raise RuntimeError(f"{self.username} could not log in (ended on {landed.url})")

    def get(self, path: str) -> float:
        started = time.perf_counter()
        with self.opener.open(f"{self.base}{path}", timeout=120) as response:
            response.read()
            if response.status != 200:
                raise RuntimeError(f"{path} answered {response.status}")
        return (time.perf_counter() - started) * 1000


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def demo_dir(args: argparse.Namespace, tmp: str) -> Path:
    if args.data_dir:
        return Path(args.data_dir)
    target = Path(tmp) / "data"
    env = server_env(data_dir=target, secret="bench", database_url=None)
    started = time.perf_counter()
    accord_command("demo", "--size", args.size, "--no-serve", env=env, timeout=3600)
    print(f"built the {args.size} demo company in {time.perf_counter() - started:.0f} s")
    return target


def run(args: argparse.Namespace, data_dir: Path) -> None:
    env = server_env(data_dir=data_dir, secret="bench", database_url=None)
    usernames = [list(PAGES)[i % len(PAGES)] for i in range(args.sessions)]
    with accord_served(env, log=data_dir / "bench-server.log", threads=args.threads) as served:
        sessions = [Session(served.base, name) for name in usernames]
        for session in sessions:
            session.login()
        first: dict[str, list[float]] = defaultdict(list)
        for session in sessions[: len(PAGES)]:
            for path in PAGES[session.username]:
                first[path].append(session.get(path))
        timings: dict[str, list[float]] = defaultdict(list)
        lock = threading.Lock()

        def work(session: Session) -> None:
            for _ in range(args.rounds):
                for path in PAGES[session.username]:
                    ms = session.get(path)
                    with lock:
                        timings[path].append(ms)

        threads = [threading.Thread(target=work, args=(s,)) for s in sessions]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
    report(first, timings, elapsed, args)


def report(first, timings, elapsed: float, args: argparse.Namespace) -> None:
    every = [ms for values in timings.values() for ms in values]
    print(
        f"{args.sessions} sessions x {args.rounds} rounds, {len(every)} page loads in "
        f"{elapsed:.1f} s ({len(every) / elapsed:.1f} pages/s), server threads {args.threads}"
    )
    print(f"{'page':<24} {'first ms':>9} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    for path in sorted(timings):
        values = timings[path]
        cold = statistics.median(first[path]) if first.get(path) else float("nan")
        print(
            f"{path:<24} {cold:>9.0f} {len(values):>5} {statistics.median(values):>8.0f} "
            f"{percentile(values, 0.95):>8.0f} {percentile(values, 0.99):>8.0f}"
        )
    print(
        f"{'all pages':<24} {'':>9} {len(every):>5} {statistics.median(every):>8.0f} "
        f"{percentile(every, 0.95):>8.0f} {percentile(every, 0.99):>8.0f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="small", choices=("small", "demo"))
    parser.add_argument("--data-dir", help="reuse a data directory that holds a demo company")
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--threads", type=int, default=8, help="accord serve --threads")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        run(args, demo_dir(args, tmp))


if __name__ == "__main__":
    main()
