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


# Round commands work on the database: each starts Django itself.


def _round(round_id: int):
    from accord.diagnostic.models import Round

    found = Round.objects.filter(pk=round_id).first()
    if found is None:
        typer.echo(f"error: no survey round {round_id}", err=True)
        raise typer.Exit(1)
    return found


@survey.command("round-create")
def round_create(
    name: Annotated[str, typer.Argument(help="A name people will recognise, e.g. 'Q1 2027'.")],
    opens: Annotated[str, typer.Option(help="First day answers are taken (YYYY-MM-DD).")],
    closes: Annotated[str, typer.Option(help="Last day answers are taken (YYYY-MM-DD).")],
) -> None:
    """Start a survey round on the default instrument."""
    from datetime import date

    from accord.cli.runtime import setup_django

    setup_django()
    from accord.diagnostic import services

    try:
        created = services.round_create(
            name=name, opens_on=date.fromisoformat(opens), closes_on=date.fromisoformat(closes)
        )
    except ValueError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"round {created.pk}: {created.name} ({created.instrument.version})")


@survey.command("invite")
def invite(
    round_id: Annotated[int, typer.Argument(help="The round's number.")],
    team: Annotated[
        list[str] | None, typer.Option(help="Invite this team's members (repeatable).")
    ] = None,
    everyone: Annotated[bool, typer.Option("--all", help="Invite every active person.")] = False,
    base_url: Annotated[str | None, typer.Option(help="Where Accord is served.")] = None,
) -> None:
    """E-mail single-use links to people not yet invited, and print them."""
    from accord.cli.runtime import setup_django

    setup_django()
    from accord.diagnostic import services
    from accord.directory.models import Person

    people = Person.objects.filter(is_active=True)
    if not everyone:
        people = people.filter(team__name__in=team or [])
    try:
        sent = services.round_invite(round=_round(round_id), people=people, base_url=base_url)
    except ValueError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    for item in sent:
        typer.echo(f"{item.person.email}\t{item.link}")
    typer.echo(f"{len(sent)} invited", err=True)


@survey.command("remind")
def remind(
    round_id: Annotated[int, typer.Argument(help="The round's number.")],
    base_url: Annotated[str | None, typer.Option(help="Where Accord is served.")] = None,
) -> None:
    """Remind everyone who has not answered yet."""
    from accord.cli.runtime import setup_django

    setup_django()
    from accord.diagnostic import services

    try:
        count = services.round_remind(round=_round(round_id), base_url=base_url)
    except ValueError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"{count} reminded")


@survey.command("close")
def close(round_id: Annotated[int, typer.Argument(help="The round's number.")]) -> None:
    """Close a round: its links stop taking answers."""
    from accord.cli.runtime import setup_django

    setup_django()
    from accord.diagnostic import services

    closed = services.round_close(round=_round(round_id))
    typer.echo(f"round {closed.pk} closed")
