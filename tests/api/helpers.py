"""Signed deliveries for the webhook tests."""

from __future__ import annotations

import json
import time
from typing import Any

from accord.api.webhook import SIGNATURE_HEADER, signature_make

SECRET = "test-webhook-secret"
HOOK = "/api/hooks/leads"


def delivery(number: int, **fields: Any) -> dict[str, Any]:
    return {
        "id": f"form-{number}",
        "email": f"Person{number}@Example.com",
        "first_name": "Pat",
        "last_name": f"Sender {number}",
        "company": "Example Ltd",
        **fields,
    }


def signed_headers(body: bytes, *, secret: str = SECRET, offset: int = 0) -> dict[str, str]:
    """Headers signing ``body``, as if sent ``offset`` seconds from now."""
    stamp = int(time.time()) + offset
    return {
        "Content-Type": "application/json",
        SIGNATURE_HEADER: signature_make(secret=secret, timestamp=stamp, body=body),
    }


def encode(payload: Any) -> bytes:
    return json.dumps(payload).encode()
