"""Core commands: demo, serve, stats, version."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Annotated

import typer
from rich.console import Console

from accord import __version__
from accord.cli.runtime import setup_django

console = Console()

DEFAULT_PORT = 8000


def version() -> None:
    """Print Accord's version."""
    typer.echo(__version__)


def stats(
    as_json: Annotated[bool, typer.Option("--json", help="Print one flat JSON object.")] = False,
) -> None:
    """Count the records of every kind in the database."""
    setup_django()
    from accord.stats import record_counts

    counts = record_counts()
    if as_json:
        typer.echo(json.dumps(counts))
        return
    for key, value in counts.items():
        console.print(f"{key:>16}  {value:>10,}")


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = DEFAULT_PORT,
    threads: Annotated[int, typer.Option(help="Worker threads.")] = 8,
    sweeper: Annotated[
        bool, typer.Option(help="Run the SLA sweeper (warnings and breaches) every minute.")
    ] = True,
) -> None:
    """Serve Accord with a production WSGI server (waitress) and the SLA sweeper."""
    setup_django()
    from accord.server import run_server

    run_server(host=host, port=port, threads=threads, sweeper=sweeper)


def demo(
    size: Annotated[str, typer.Option(help="small, demo or large.")] = "demo",
    seed: Annotated[int, typer.Option(help="Seed: the same seed builds the same company.")] = 7,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="History ends at this ISO date (default: now).")
    ] = None,
    no_serve: Annotated[bool, typer.Option("--no-serve", help="Build only; do not serve.")] = False,
    port: Annotated[int, typer.Option(help="Port to serve on.")] = DEFAULT_PORT,
    reset: Annotated[
        bool, typer.Option("--reset", help="Delete existing data before building.")
    ] = False,
) -> None:
    """Build the demo company (if the database is empty) and serve it."""
    setup_django()
    from accord.demo import build
    from accord.demo.logins import DEMO_LOGINS, DEMO_PASSWORD

    when = _parse_as_of(as_of)
    try:
        result = build.demo_build(size=size, seed=seed, as_of=when, reset=reset, console=console)
    except build.DemoError as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(1) from exc
    console.print(result.summary)
    console.print("\nDemo logins (username, password, role):")
    for username, role_label in DEMO_LOGINS:
        typer.echo(f"  {username}  {DEMO_PASSWORD}  {role_label}")
    if no_serve:
        return
    serve(host="127.0.0.1", port=port, threads=8, sweeper=True)


def _parse_as_of(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as exc:
        raise typer.BadParameter(
            f"--as-of must be an ISO date like 2026-11-23, not {value!r}"
        ) from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment


def register(app: typer.Typer) -> None:
    app.command()(demo)
    app.command()(serve)
    app.command()(stats)
    app.command()(version)
