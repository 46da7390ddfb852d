"""``accord ledger``: who owns which part of the gap between target and actual.

Nothing heavy is imported at module level: the CLI registers every app's
commands at start-up.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from accord.metrics.ledger import Ledger

BAD_MONTH = "{option}: give a month as YYYY-MM, not {value!r}"
BACKWARDS = "--to ({to}) is before --from ({start})"


class Measure(StrEnum):
    revenue = "revenue"
    pipeline = "pipeline"


def register(app: typer.Typer) -> None:
    app.command("ledger")(ledger)


def month_parse(value: str, option: str) -> date:
    try:
        return datetime.strptime(value, "%Y-%m").replace(tzinfo=UTC).date()
    except ValueError:
        raise ValueError(BAD_MONTH.format(option=option, value=value)) from None


def last_quarter(today: date) -> tuple[date, date]:
    """The last calendar quarter that has ended: (first month, first day after it)."""
    from accord.months import last_full_quarter

    return last_full_quarter(today)


def period_parse(start: str | None, to: str | None, today: date) -> tuple[date, date]:
    """[first day, first day after) from --from/--to; the last full quarter by default."""
    from accord.metrics.definitions.revenue import month_add

    if start is None and to is None:
        return last_quarter(today)
    first = month_parse(start or to, "--from")  # type: ignore[arg-type]
    last = month_parse(to or start, "--to")  # type: ignore[arg-type]
    if last < first:
        raise ValueError(BACKWARDS.format(to=to, start=start))
    return first, month_add(last, 1)


def ledger(
    start: Annotated[str | None, typer.Option("--from", help="First month, YYYY-MM.")] = None,
    to: Annotated[str | None, typer.Option("--to", help="Last month, YYYY-MM.")] = None,
    segment: Annotated[str | None, typer.Option(help="A segment name; all when left out.")] = None,
    measure: Annotated[
        Measure, typer.Option(help="Explain revenue or pipeline.")
    ] = Measure.revenue,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Split the gap between target and actual into parts owned by marketing or sales."""
    from accord.cli.runtime import setup_django

    setup_django()
    from accord.metrics.ledger import ledger_current
    from accord.metrics.targets import NoTargetError

    try:
        first, end = period_parse(start, to, datetime.now(UTC).date())
        result = ledger_current(start=first, end=end, segment=segment, measure=measure.value)
    except (ValueError, NoTargetError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    if as_json:
        typer.echo(json.dumps(result.as_dict(), indent=2))
    else:
        _print(result)


def _print(result: Ledger) -> None:
    from rich.console import Console
    from rich.table import Table

    from accord.metrics.definitions.revenue import month_add

    console = Console()
    scope = result.segment or "whole company"
    last = month_add(result.end, -1)
    console.print(
        f"{result.measure.capitalize()} {result.start:%Y-%m} to {last:%Y-%m}"
        f" ({scope}): target {result.target:,.2f}, actual {result.actual:,.2f}, "
        f"gap {result.gap:,.2f} (positive: short of target)"
    )
    table = Table()
    for column in ("part", "side", "amount", "plan", "actual", "leads"):
        table.add_column(column, justify="left" if column in ("part", "side") else "right")
    for part in result.parts:
        table.add_row(
            part.name, part.side, f"{part.amount:,.2f}", f"{part.plan:,.2f}",
            f"{part.actual:,.2f}", str(len(part.lead_ids)),
        )  # fmt: skip
    console.print(table)
    console.print(
        "Parts in funnel order; each is the change when that factor moves from plan to actual."
    )
