"""``accord report``: the quarterly alignment report as an HTML or PDF file."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

BAD_FILTER = "error: {field}: {message}"


class Format(StrEnum):
    html = "html"
    pdf = "pdf"


def register(app: typer.Typer) -> None:
    app.command("report")(report)


def report(
    output: Annotated[Path, typer.Option("--output", "-o", help="File to write.")],
    format: Annotated[Format, typer.Option("--format", help="html or pdf.")] = Format.pdf,
    start: Annotated[
        str | None, typer.Option("--from", help="First month, YYYY-MM (default: last quarter).")
    ] = None,
    end: Annotated[str | None, typer.Option("--to", help="Last month, YYYY-MM.")] = None,
    segment: Annotated[str | None, typer.Option(help="Only this segment.")] = None,
) -> None:
    """Write the quarterly alignment report for the joint meeting."""
    from django.http import QueryDict

    from accord.cli.runtime import setup_django

    setup_django()
    from accord.pdf import PdfUnavailable
    from accord.web.filters import filters_from
    from accord.web.report import report_build, report_html, report_pdf

    params = QueryDict(mutable=True)
    for name, value in (("start", start), ("end", end), ("segment", segment)):
        if value:
            params[name] = value
    filters, form = filters_from(params)
    if form.is_bound and not form.is_valid():
        for field, errors in form.errors.items():
            typer.echo(BAD_FILTER.format(field=field, message=" ".join(errors)), err=True)
        raise typer.Exit(1)
    built = report_build(filters)
    try:
        if format is Format.pdf:
            output.write_bytes(report_pdf(built))
        else:
            output.write_text(report_html(built, for_print=True), encoding="utf-8")
    except PdfUnavailable as exc:
        typer.echo(f"error: {exc}. Use --format html instead.", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"Wrote the report for {filters.describe()} to {output}")
