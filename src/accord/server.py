"""The production server for one machine: waitress, plus Accord's background thread.

Waitress is a pure-Python, multi-threaded WSGI server that runs the same on
every OS, which suits the embedded mode. Teams run several gunicorn workers
on PostgreSQL instead (see docs/deploy.md).
"""

from __future__ import annotations

from waitress import serve


def run_server(*, host: str, port: int, threads: int) -> None:
    from accord.wsgi import application

    print(f"Accord is serving on http://{host}:{port}/  (Ctrl+C to stop)", flush=True)
    serve(application, host=host, port=port, threads=threads, ident="accord")
