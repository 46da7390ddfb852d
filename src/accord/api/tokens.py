"""Token making and hashing: the raw token is shown once and never stored."""

from __future__ import annotations

import hashlib
import secrets

TOKEN_PREFIX = "acc_"


def token_generate() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()
