"""The staging area: a private SQLite file per import, in the data directory.

Validated items are streamed here first, so the application database sees
no write until the whole file is known to be good, memory stays bounded for
files of any size, and a killed import leaves only this file behind (removed
on close, and harmless if a crash leaves it).

Items are stored as JSON with tagged decimals and dates, never pickled: the
file sits in the data directory, and loading a pickle someone swapped in
would run their code.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from accord.connectors.formats import Item

KIND_ORDER = (
    "account", "campaign", "contact", "opportunity", "lead", "touch", "stage_change",
    "contact_role",
)  # fmt: skip
CREATED, UPDATED, UNCHANGED = 3, 2, 1
ABANDONED_AFTER = 24 * 3600  # seconds; no import runs that long

SCHEMA = """
CREATE TABLE item (
    id INTEGER PRIMARY KEY,
    line INTEGER NOT NULL,
    kind TEXT NOT NULL,
    external_id TEXT NOT NULL,
    payload TEXT NOT NULL,
    action INTEGER NOT NULL DEFAULT 0,
    UNIQUE (kind, external_id)
);
CREATE TABLE problem (
    line INTEGER NOT NULL, col TEXT NOT NULL, reason TEXT NOT NULL, warning INTEGER NOT NULL
);
CREATE INDEX item_line ON item (line);
CREATE INDEX item_kind_id ON item (kind, id);
CREATE INDEX problem_line ON problem (line);
CREATE VIEW bad_line AS SELECT line FROM problem WHERE warning = 0;
"""


@dataclass(frozen=True)
class Problem:
    line: int
    column: str
    reason: str
    warning: bool = False


@dataclass(frozen=True)
class StagedItem:
    row_id: int
    line: int
    item: Item


class Staging:
    def __init__(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        _remove_abandoned(directory)
        self.path = directory / f"import-{uuid.uuid4().hex}.sqlite3"
        self.db = sqlite3.connect(self.path)
        self.db.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + SCHEMA)

    def close(self) -> None:
        self.db.close()
        self.path.unlink(missing_ok=True)

    def add(self, line: int, items: list[Item]) -> None:
        for item in items:
            first = self._first_line(item)
            if first is None:
                self.db.execute(
                    "INSERT INTO item (line, kind, external_id, payload) VALUES (?, ?, ?, ?)",
                    (line, item.kind, item.external_id, _pack(item)),
                )
            elif item.primary:
                self.problem(line, "Id", f"the same record id again (first on line {first})")

    def _first_line(self, item: Item) -> int | None:
        row = self.db.execute(
            "SELECT line FROM item WHERE kind = ? AND external_id = ?",
            (item.kind, item.external_id),
        ).fetchone()
        return None if row is None else row[0]

    def problem(self, line: int, column: str, reason: str) -> None:
        """An invalid row: none of its items will be applied."""
        self.db.execute("INSERT INTO problem VALUES (?, ?, ?, 0)", (line, column, reason))

    def warning(self, line: int, column: str, reason: str) -> None:
        """Something left out of a row that is still applied (an unknown owner)."""
        self.db.execute("INSERT INTO problem VALUES (?, ?, ?, 1)", (line, column, reason))

    def problems(self) -> Iterator[Problem]:
        for line, column, reason, warning in self.db.execute(
            "SELECT line, col, reason, warning FROM problem ORDER BY line, rowid"
        ):
            yield Problem(line, column, reason, bool(warning))

    def invalid_lines(self) -> int:
        return self.db.execute("SELECT COUNT(DISTINCT line) FROM bad_line").fetchone()[0]

    def warned_lines(self) -> int:
        query = "SELECT COUNT(DISTINCT line) FROM problem WHERE warning = 1"
        return self.db.execute(query).fetchone()[0]

    def has(self, kind: str, external_id: str) -> bool:
        """Whether a valid item of this kind and id waits to be applied."""
        return (
            self.db.execute(
                "SELECT 1 FROM item WHERE kind = ? AND external_id = ? AND line NOT IN "
                "(SELECT line FROM bad_line)",
                (kind, external_id),
            ).fetchone()
            is not None
        )

    def chunks(self, kind: str, size: int) -> Iterator[list[StagedItem]]:
        """Valid items of one kind in file order, ``size`` at a time."""
        last = 0
        while True:
            rows = self.db.execute(
                "SELECT id, line, payload FROM item WHERE kind = ? AND id > ? "
                "AND line NOT IN (SELECT line FROM bad_line) ORDER BY id LIMIT ?",
                (kind, last, size),
            ).fetchall()
            if not rows:
                return
            last = rows[-1][0]
            yield [StagedItem(r[0], r[1], _unpack(r[2])) for r in rows]

    def set_actions(self, actions: list[tuple[int, int]]) -> None:
        self.db.executemany("UPDATE item SET action = ? WHERE id = ?", actions)

    def row_counts(self) -> dict[int, int]:
        """Rows by their strongest action: a row is created if any of its items is."""
        query = (
            "SELECT action, COUNT(*) FROM (SELECT MAX(action) AS action FROM item "
            "WHERE line NOT IN (SELECT line FROM bad_line) GROUP BY line) GROUP BY action"
        )
        return dict(self.db.execute(query).fetchall())


def _remove_abandoned(directory: Path) -> None:
    """Delete staging files a killed import left behind more than a day ago."""
    cutoff = time.time() - ABANDONED_AFTER
    for path in directory.glob("import-*.sqlite3"):
        with contextlib.suppress(OSError):
            if path.stat().st_mtime < cutoff:
                path.unlink()


# Tags for the values JSON has no type for; an item's fields hold only these,
# text, numbers, booleans and None (the reader parses every cell to one of them).
DECODERS: dict[str, Callable[[str], Any]] = {
    "~decimal": Decimal,
    "~datetime": datetime.fromisoformat,
    "~date": date.fromisoformat,
}


def _encode(value: Any) -> dict[str, str]:
    if isinstance(value, Decimal):
        return {"~decimal": str(value)}
    if isinstance(value, datetime):  # before date: a datetime is a date too
        return {"~datetime": value.isoformat()}
    if isinstance(value, date):
        return {"~date": value.isoformat()}
    raise TypeError(f"cannot stage a {type(value).__name__}")


def _decode(obj: dict[str, Any]) -> Any:
    if len(obj) == 1:
        ((tag, text),) = obj.items()
        if tag in DECODERS:
            return DECODERS[tag](text)
    return obj


def _pack(item: Item) -> str:
    fields = (item.kind, item.external_id, item.fields, item.refs, item.primary, item.domain)
    return json.dumps(fields, default=_encode, separators=(",", ":"))


def _unpack(payload: str) -> Item:
    kind, external_id, fields, refs, primary, domain = json.loads(payload, object_hook=_decode)
    refs = {name: (ref_kind, ext) for name, (ref_kind, ext) in refs.items()}
    return Item(kind, external_id, fields, refs, primary, domain)
