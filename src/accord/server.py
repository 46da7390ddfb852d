"""The production server for one machine: waitress, plus the SLA sweeper and metrics threads.

Waitress is a pure-Python, multi-threaded WSGI server that runs the same on
every OS, which suits the embedded mode (ADR 0002). The sweeper writes SLA
warnings and breaches once each (the marks make reruns harmless), so it can
run beside any number of servers; a team may run it from a task worker instead.
The metrics thread keeps the metric layer's snapshot fresh (accord.metrics.tasks).
"""

from __future__ import annotations

import logging
import threading

from django.db import close_old_connections, connection
from django.utils import timezone
from waitress import serve

SWEEP_EVERY_SECONDS = 60
log = logging.getLogger("accord.sweeper")


def sweeper_loop(stop: threading.Event, every: float = SWEEP_EVERY_SECONDS) -> None:
    from accord.funnel.sweeper import sla_sweep

    try:
        while not stop.is_set():
            for name, work in (("SLA sweep", sla_sweep), ("CRM hand-back", _deliver)):
                try:
                    work(timezone.now())
                except Exception:  # keep going after a bad run; the next one retries
                    log.exception("%s failed", name)
                finally:
                    close_old_connections()
            stop.wait(every)
    finally:
        connection.close()  # this thread's own connection; never leave it open


def _deliver(now: object) -> None:
    """Retry the owner and stage changes the CRM has not taken yet (due ones only)."""
    from accord.funnel.outbound import crm_updates_deliver

    crm_updates_deliver(now=now)


def run_server(*, host: str, port: int, threads: int, sweeper: bool = True) -> None:
    from accord.wsgi import application

    stop = threading.Event()
    if sweeper:
        from accord.metrics.tasks import refresh_loop

        threading.Thread(target=sweeper_loop, args=(stop,), name="sla-sweeper", daemon=True).start()
        threading.Thread(target=refresh_loop, args=(stop,), name="metrics", daemon=True).start()
    print(f"Accord is serving on http://{host}:{port}/  (Ctrl+C to stop)", flush=True)
    try:
        serve(application, host=host, port=port, threads=threads, ident="accord")
    finally:
        stop.set()
