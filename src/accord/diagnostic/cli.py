"""``accord survey``: score alignment survey answers.

``accord survey score FILE.csv`` works on a file alone and never starts
Django. Nothing heavy is imported at module level.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from accord.diagnostic.instrument import Instrument
    from accord.diagnostic.scoring import Summary

survey = typer.Typer(help="The alignment survey.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(survey, name="survey")


@survey.command("score")
def score(
    file: Annotated[Path, typer.Argument(help="CSV: team, q1..q20, optional role and comment.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Score a CSV of survey answers: overall, per team, per theme, with the gap."""
    from accord.diagnostic.files import SurveyFileError, answers_read
    from accord.diagnostic.instrument import instrument_load
    from accord.diagnostic.scoring import summarise

    instrument = instrument_load()
    try:
        rows = answers_read(file, instrument)
    except SurveyFileError as exc:
        typer.echo(f"error: {exc}; nothing was scored.", err=True)
        raise typer.Exit(1) from None
    summary = summarise(rows, instrument)
    if as_json:
        typer.echo(json.dumps(summary.as_dict(), indent=2))
    else:
        _print(summary, instrument)


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def _print(summary: Summary, instrument: Instrument) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    overall = summary.overall
    if overall.suppressed:
        console.print(f"{summary.respondents} respondents: too few to show any score (need 5).")
        return
    low, high = summary.interval or (None, None)
    console.print(
        f"[bold]{_fmt(overall.score)}[/bold] {instrument.band_label(overall.type or '')}"
        f" · {summary.respondents} respondents · 95% CI {_fmt(low)} to {_fmt(high)}"
        f" · gap (marketing minus sales) {_fmt(summary.gap)}"
    )
    teams = Table(title="By team")
    for col in ("Team", "n", "Score", "Type"):
        teams.add_column(col)
    for key, group in summary.teams.items():
        if group.suppressed:
            teams.add_row(key, "—", "hidden for anonymity", "—")
        else:
            teams.add_row(key, str(group.n), _fmt(group.score), group.type or "")
    console.print(teams)
    themes = Table(title="By theme (20-100 scale)")
    for col in ("Theme", "All", "Sales", "Marketing", "Gap"):
        themes.add_column(col)
    for theme in instrument.themes:
        side = {k: g.themes.get(theme.key) for k, g in summary.teams.items() if not g.suppressed}
        themes.add_row(
            theme.label,
            _fmt(overall.themes[theme.key]),
            _fmt(side.get("sales")),
            _fmt(side.get("marketing")),
            _fmt(summary.theme_gaps.get(theme.key)),
        )
    console.print(themes)
