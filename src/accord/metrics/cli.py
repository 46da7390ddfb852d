"""``accord attribution``: credit touches in a Parquet or CSV file, with no database.

Nothing heavy is imported at module level: the CLI registers every app's
commands at start-up, and file mode must not start Django.
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from accord.metrics.attribution import Attribution


class By(StrEnum):
    channel = "channel"
    campaign = "campaign"


def register(app: typer.Typer) -> None:
    app.command("attribution")(attribution)


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
