"""The staging file holds items as JSON text: the types round-trip, nothing is unpickled."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest

from accord.connectors.formats import Item
from accord.connectors.staging import Staging, _pack, _unpack

pytestmark = pytest.mark.nodb


def lead_item() -> Item:
    return Item(
        "opportunity",
        "0065g00000XyZaBAAV",
        {
            "name": 'Northwind - {"~decimal": 1}',
            "amount": Decimal("48500.50"),
            "closed_at": datetime(2024, 4, 18, 14, 3, tzinfo=UTC),
            "created_at": datetime(2024, 3, 20, 9, 0, tzinfo=timezone(timedelta(hours=2))),
            "starts_on": date(2024, 3, 1),
            "is_won": True,
            "employees": 1200,
            "lost_reason": None,
        },
        {"account": ("account", "0015g00000AbCdEAAV"), "owner": ("person", None)},
        primary=False,
        domain="northwind.example",
    )


def test_an_item_round_trips_with_its_types() -> None:
    item = lead_item()
    back = _unpack(_pack(item))
    assert back == item
    assert type(back.fields["amount"]) is Decimal
    assert back.fields["created_at"].utcoffset() == timedelta(hours=2)
    assert type(back.fields["starts_on"]) is date
    assert back.refs["account"] == ("account", "0015g00000AbCdEAAV")


def test_the_payload_is_plain_json() -> None:
    payload = _pack(lead_item())
    kind, external_id, fields, refs, primary, domain = json.loads(payload)
    assert refs == {"account": ["account", "0015g00000AbCdEAAV"], "owner": ["person", None]}
    assert (kind, external_id, primary, domain) == (
        "opportunity",
        "0065g00000XyZaBAAV",
        False,
        "northwind.example",
    )
    assert fields["amount"] == {"~decimal": "48500.50"}
    assert fields["starts_on"] == {"~date": "2024-03-01"}
    assert fields["closed_at"] == {"~datetime": "2024-04-18T14:03:00+00:00"}


def test_a_value_of_another_type_is_refused() -> None:
    item = Item("account", "1", {"name": object()})
    with pytest.raises(TypeError, match="cannot stage a object"):
        _pack(item)


def test_a_tampered_payload_stays_data(tmp_path: Path) -> None:
    """A pickle planted in the staging file is read as text and fails, never run."""
    import pickle

    staging = Staging(tmp_path)
    try:
        staging.add(2, [lead_item()])
        planted = pickle.dumps(("opportunity", "x", {}, {}, True, None))
        staging.db.execute("UPDATE item SET payload = ?", (planted,))
        with pytest.raises((UnicodeDecodeError, json.JSONDecodeError, TypeError)):
            list(staging.chunks("opportunity", 10))
    finally:
        staging.close()
    assert not staging.path.exists()
