"""Where each field of an imported record came from: the source system and import run.

Stored compactly on the record (``Sourced.provenance``) as JSON:
``{"*": ["salesforce", 12], "title": ["hubspot", 15]}`` means import run 12
from Salesforce created the record (so set every field), and run 15 from
HubSpot set the title last. A record without provenance (made by Accord, the
API or the demo, or imported before provenance was kept) came wholly from
its ``source``, run unknown.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

ALL = "*"
NOT_SHOWN = frozenset({"id", "source", "external_id", "created_at", "updated_at", "provenance"})


@dataclass(frozen=True)
class FieldOrigin:
    field: str
    label: str
    value: Any
    source: str
    run_id: int | None


def created(source: str, run_id: int) -> dict[str, list[Any]]:
    return {ALL: [source, run_id]}


def updated(
    current: dict[str, list[Any]] | None, fields: list[str], source: str, run_id: int
) -> dict[str, list[Any]]:
    result = dict(current or {})
    for name in fields:
        result[name] = [source, run_id]
    return result


def holder(record: Any, field: str) -> str:
    """The source system that set ``field`` of ``record`` last."""
    entry = _entry(record, field)
    return entry[0] if entry else record.source


def origins(record: Any) -> list[FieldOrigin]:
    """Every shown field of a record with the system and run that set it."""
    rows = []
    for field in record._meta.concrete_fields:
        if field.name in NOT_SHOWN:
            continue
        entry = _entry(record, field.name)
        source, run_id = entry if entry else (record.source, None)
        value = getattr(record, field.name)  # a related record shows as its name
        label = str(field.verbose_name)
        rows.append(FieldOrigin(field.name, label, value, source, run_id))
    return rows


def _entry(record: Any, field: str) -> list[Any] | None:
    known = getattr(record, "provenance", None) or {}
    return known.get(field) or known.get(ALL)
