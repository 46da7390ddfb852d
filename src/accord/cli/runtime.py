"""Django start-up for CLI commands.

Commands that work on files alone (attribution, survey scoring) never call
this, so they start in a fraction of a second. Commands that need the
database call :func:`setup_django`, which also creates and migrates the
database when needed, so every command works on an empty data directory.
"""

from __future__ import annotations

import os

_ready = False


def setup_django(*, migrate: bool = True) -> None:
    global _ready
    if _ready:
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accord.settings")
    import django

    django.setup()
    if migrate:
        migrate_if_needed()
    _ready = True


def migrate_if_needed() -> None:
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        call_command("migrate", interactive=False, verbosity=0)
