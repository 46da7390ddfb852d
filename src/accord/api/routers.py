"""Which modules add endpoints to ``/api/v1/``.

A module listed here that exists must define ``router`` (a ``ninja.Router``)
and may define ``PREFIX`` (a path under ``/api/v1/``, "" by default). A
listed module that does not exist yet is skipped, so an app can be named here
before its endpoints land.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from types import ModuleType

ROUTER_MODULES = (
    "accord.api.resources",
    "accord.api.bulk",
    "accord.funnel.api",
)


def router_modules() -> Iterator[ModuleType]:
    for name in ROUTER_MODULES:
        try:
            yield importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
