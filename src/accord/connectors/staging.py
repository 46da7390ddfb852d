"""The staging area: a private SQLite file per import, in the data directory.

Validated items are streamed here first, so the application database sees
no write until the whole file is known to be good, memory stays bounded for
files of any size, and a killed import leaves only this file behind (removed
on close, and harmless if a crash leaves it).
"""

from __future__ import annotations

import contextlib
import pickle
import sqlite3
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from accord.connectors.formats import Item

KIND_ORDER = ("account", "campaign", "contact", "opportunity", "lead", "touch", "stage_change")
CREATED, UPDATED, UNCHANGED = 3, 2, 1
ABANDONED_AFTER = 24 * 3600  # seconds; no import runs that long

SCHEMA = """
CREATE TABLE item (
    id INTEGER PRIMARY KEY,
    line INTEGER NOT NULL,
    kind TEXT NOT NULL,
    external_id TEXT NOT NULL,
    payload BLOB NOT NULL,
    action INTEGER NOT NULL DEFAULT 0,
    UNIQUE (kind, external_id)
);
CREATE TABLE problem (line INTEGER NOT NULL, col TEXT NOT NULL, reason TEXT NOT NULL);
CREATE INDEX item_line ON item (line);
CREATE INDEX item_kind_id ON item (kind, id);
CREATE INDEX problem_line ON problem (line);
"""


@dataclass(frozen=True)
class Problem:
    line: int
    column: str
    reason: str


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
        self.db.execute("INSERT INTO problem VALUES (?, ?, ?)", (line, column, reason))

    def problems(self) -> Iterator[Problem]:
        for line, column, reason in self.db.execute(
            "SELECT line, col, reason FROM problem ORDER BY line, rowid"
        ):
            yield Problem(line, column, reason)

    def invalid_lines(self) -> int:
        return self.db.execute("SELECT COUNT(DISTINCT line) FROM problem").fetchone()[0]

    def has(self, kind: str, external_id: str) -> bool:
        """Whether a valid item of this kind and id waits to be applied."""
        return (
            self.db.execute(
                "SELECT 1 FROM item WHERE kind = ? AND external_id = ? AND line NOT IN "
                "(SELECT line FROM problem)",
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
                "AND line NOT IN (SELECT line FROM problem) ORDER BY id LIMIT ?",
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
            "WHERE line NOT IN (SELECT line FROM problem) GROUP BY line) GROUP BY action"
        )
        return dict(self.db.execute(query).fetchall())


def _remove_abandoned(directory: Path) -> None:
    """Delete staging files a killed import left behind more than a day ago."""
    cutoff = time.time() - ABANDONED_AFTER
    for path in directory.glob("import-*.sqlite3"):
        with contextlib.suppress(OSError):
            if path.stat().st_mtime < cutoff:
                path.unlink()


def _pack(item: Item) -> bytes:
    # A plain tuple pickles a quarter smaller than the dataclass: no class path per row.
    fields = (item.kind, item.external_id, item.fields, item.refs, item.primary, item.domain)
    return pickle.dumps(fields, protocol=pickle.HIGHEST_PROTOCOL)


def _unpack(payload: bytes) -> Item:
    kind, external_id, fields, refs, primary, domain = pickle.loads(payload)
    return Item(kind, external_id, fields, refs, primary, domain)
