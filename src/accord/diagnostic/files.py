"""Read survey answers from a CSV file for offline scoring (no Django).

One row per respondent: ``team`` (sales, marketing or other), ``q1``..``qN``
(whole numbers on the instrument's scale), optional ``role`` and ``comment``.
The file is checked completely before anything is scored: one bad row and
the whole file is refused, naming the physical line (the header is line 1).
"""

from __future__ import annotations

import csv
from pathlib import Path

from accord.diagnostic.instrument import Instrument
from accord.diagnostic.scoring import SIDES, Answers


class SurveyFileError(ValueError):
    pass


def _answer(raw: str | None, key: str, instrument: Instrument, line: int) -> int:
    text = (raw or "").strip()
    lo, hi = instrument.scale_min, instrument.scale_max
    if not text:
        raise SurveyFileError(f"line {line}: {key} is missing")
    if not text.lstrip("-").isdigit() or not lo <= int(text) <= hi:
        raise SurveyFileError(f"line {line}: {key} is {text!r}; expected a whole number {lo}-{hi}")
    return int(text)


def _side(raw: str | None, column: str, line: int, *, required: bool) -> str:
    text = (raw or "").strip().lower()
    if not text and not required:
        return "unstated"
    if text not in SIDES:
        raise SurveyFileError(f"line {line}: {column} is {text!r}; expected {', '.join(SIDES)}")
    return text


def _row(record: dict[str, str | None], instrument: Instrument, line: int) -> Answers:
    if None in record:
        raise SurveyFileError(f"line {line}: more values than columns")
    return Answers(
        team=_side(record.get("team"), "team", line, required=True),
        role=_side(record.get("role"), "role", line, required=False),
        answers={k: _answer(record.get(k), k, instrument, line) for k in instrument.item_keys},
        comment=(record.get("comment") or "").strip(),
    )


def answers_read(path: Path, instrument: Instrument) -> list[Answers]:
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise SurveyFileError(f"cannot read {path}: {exc.strerror}") from None
    with handle:
        reader = csv.DictReader(handle)
        missing = [c for c in ("team", *instrument.item_keys) if c not in (reader.fieldnames or [])]
        if missing:
            raise SurveyFileError(f"line 1: missing column(s) {', '.join(missing)}")
        rows = []
        line = reader.line_num
        for record in reader:
            # line_num counts physical lines, so quoted multi-line comments stay right.
            rows.append(_row(record, instrument, line + 1))
            line = reader.line_num
    if not rows:
        raise SurveyFileError(f"{path} has no responses")
    return rows
