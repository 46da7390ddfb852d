"""``accord attribution`` (touch files, no database) and ``accord metrics`` (the scorecard).

Nothing heavy is imported at module level: the CLI registers every app's
commands at start-up, and file mode must not start Django.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from accord.metrics.attribution import Attribution
    from accord.metrics.registry import MetricQuery
    from accord.metrics.scorecard import Entry


class By(StrEnum):
    channel = "channel"
    campaign = "campaign"


def register(app: typer.Typer) -> None:
    app.command("attribution")(attribution)
    app.command("metrics")(metrics)


def metrics(
    start: Annotated[
        str | None, typer.Option("--from", help="First month, YYYY-MM (included).")
    ] = None,
    end: Annotated[str | None, typer.Option("--to", help="Last month, YYYY-MM (included).")] = None,
    segment: Annotated[str | None, typer.Option(help="Only this segment's numbers.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one flat JSON object.")] = False,
) -> None:
    """The shared scorecard for a period (default: the last full quarter) and segment."""
    from accord.cli.runtime import setup_django

    setup_django()
    from datetime import UTC, datetime

    from accord.metrics import scorecard
    from accord.metrics.registry import MetricQuery
    from accord.metrics.tasks import snapshot_refresh

    now = datetime.now(UTC)
    try:
        first, after = scorecard.period_parse(start, end, today=now.date())
        query = MetricQuery(start=first, end=after, segment=scorecard.segment_check(segment))
    except scorecard.PeriodError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    snapshot_refresh(now, warm=False)
    entries = scorecard.scorecard_compute(query)
    if as_json:
        typer.echo(json.dumps(scorecard.scorecard_json(entries)))
    else:
        _print_scorecard(entries, query)


def _print_scorecard(entries: list[Entry], query: MetricQuery) -> None:
    from rich.console import Console
    from rich.table import Table

    from accord.metrics.format import metric_value

    period = f"{query.start:%Y-%m} to {_last_month(query.end):%Y-%m}"
    table = Table(title=f"Scorecard {period}" + (f", {query.segment}" if query.segment else ""))
    for column in ("metric", "value", "version", "owner"):
        table.add_column(column, justify="right" if column == "value" else "left")
    for e in entries:
        value = metric_value(e.result.value, e.metric.unit) if e.result else f"error: {e.error}"
        version = f"v{e.result.definition_version}" if e.result else ""
        table.add_row(e.metric.name, value, version, " & ".join(e.metric.sides))
    Console().print(table)
    data_time = next((e.result.data_time for e in entries if e.result), None)
    if data_time is not None:
        Console().print(f"Data as of {data_time:%Y-%m-%d %H:%M} UTC")


def _last_month(end: date) -> date:
    return (end.replace(day=1) - timedelta(days=1)).replace(day=1)


def attribution(
    input: Annotated[Path, typer.Option("--input", help="Parquet or CSV file, one row per touch.")],
    model: Annotated[
        str, typer.Option(help="A model name, a comma-separated list, or 'all'.")
    ] = "all",
    by: Annotated[By, typer.Option(help="Give credit to channels or campaigns.")] = By.channel,
    lookback_days: Annotated[
        float | None, typer.Option(help="Drop touches this many days before a journey's end.")
    ] = None,
    half_life_days: Annotated[float, typer.Option(help="Time decay half-life.")] = 7.0,
    markov_order: Annotated[int, typer.Option(help="Markov chain order (1-4).")] = 1,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Multi-touch attribution of the conversions and value in a touch file."""
    from accord.metrics.attribution.files import file_attribute

    try:
        result = file_attribute(
            input,
            models=model,
            by=by.value,
            lookback_days=lookback_days,
            half_life_days=half_life_days,
            markov_order=markov_order,
        )
    except ValueError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    if as_json:
        typer.echo(json.dumps(result.as_dict()))
    else:
        _print_tables(result)


def _print_tables(result: Attribution) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    console.print(
        f"{result.journeys} journeys, {result.conversions:g} conversions, "
        f"value {result.value:,.2f} — credit by {result.by}"
    )
    for measure in ("conversions", "value"):
        console.print(f"\n[bold]Credit in {measure}[/bold]")
        table = Table()
        table.add_column(result.by)
        for name in result.models:
            table.add_column(name, justify="right")
        keys = sorted({k for credit in result.models.values() for k in credit.conversions})
        for key in keys:
            cells = [f"{getattr(c, measure).get(key, 0.0):,.2f}" for c in result.models.values()]
            table.add_row(key, *cells)
        console.print(table)
    for name, reason in result.skipped.items():
        console.print(f"{name}: {reason}")
