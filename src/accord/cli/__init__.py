"""The ``accord`` command.

Each capability adds its commands from ``accord.<app>.cli.register(app)``.
Those modules must not import Django at import time: commands that need the
database call :func:`accord.cli.runtime.setup_django` themselves.
"""

from __future__ import annotations

import importlib

import typer

app = typer.Typer(
    name="accord",
    help="Accord: one shared database, funnel, metrics and rhythm for sales and marketing.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

COMMAND_MODULES = (
    "accord.cli.core",
    "accord.cli.maintenance",
    "accord.connectors.cli",
    "accord.metrics.cli",
    "accord.metrics.ledger_cli",
    "accord.diagnostic.cli",
    "accord.api.cli",
    "accord.feedback.cli",
    "accord.web.cli",
)


def _register_all() -> None:
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        module.register(app)


_register_all()


def main() -> None:
    app()
