"""Fast, bounded-memory inserts for the generator's large tables.

The ORM's bulk_create builds a model instance per row; for a million touches
that is most of the build time. These helpers write rows with the driver's
executemany in chunks, formatting timestamps the way Django stores them on
each database, and reset PostgreSQL sequences after explicit ids.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from itertools import islice
from typing import Any

import numpy as np
from django.core.management.color import no_style
from django.db import connection, models, transaction

CHUNK = 20_000


def on_postgres() -> bool:
    return connection.vendor == "postgresql"


def ts(moment: datetime | None) -> str | None:
    """An aware datetime as the database stores it (UTC)."""
    if moment is None:
        return None
    text = moment.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ")
    return text + "+00:00" if on_postgres() else text


def ts_array(seconds: np.ndarray) -> list[str]:
    """Unix seconds (int64) to stored timestamp strings, vectorised."""
    text = np.datetime_as_string(seconds.astype("datetime64[s]"), unit="s")
    suffix = "+00:00" if on_postgres() else ""
    return [t.replace("T", " ") + suffix for t in text.tolist()]


def insert_rows(
    model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> int:
    table = connection.ops.quote_name(model._meta.db_table)
    cols = ", ".join(connection.ops.quote_name(c) for c in columns)
    marks = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {table} ({cols}) VALUES ({marks})"
    written = 0
    iterator = iter(rows)
    while chunk := list(islice(iterator, CHUNK)):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, chunk)
        written += len(chunk)
    return written


def sequences_reset(*model_classes: type[models.Model]) -> None:
    statements = connection.ops.sequence_reset_sql(no_style(), list(model_classes))
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
