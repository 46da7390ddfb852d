"""Input field types that keep bad input a 400, never a database error (a 500).

PostgreSQL refuses NUL characters in text, 64-bit ids end at 2**63 - 1, and a
time near year 1 or 9999 overflows when moved to UTC. Naive times are UTC.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator, Field

MAX_ID = 2**63 - 1
FIRST_YEAR, LAST_YEAR = 1900, 2999


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("Text may not contain NUL characters.")
    return value


def plausible_moment(value: datetime) -> datetime:
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValueError(f"Give a time between the years {FIRST_YEAR} and {LAST_YEAR}.")
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def record_id(value: int) -> int:
    if not 1 <= value <= MAX_ID:
        raise ValueError(f"Ids run from 1 to {MAX_ID}.")
    return value


Text = Annotated[str, AfterValidator(_no_nul)]
Moment = Annotated[datetime, AfterValidator(plausible_moment)]
RecordId = Annotated[int, Field(ge=1, le=MAX_ID)]  # shown as bounds in the schema
