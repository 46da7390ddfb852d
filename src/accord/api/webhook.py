"""The signed lead webhook's contract: signature check and the delivery body.

Signature header: ``X-Accord-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>``,
the HMAC of ``"<t>.<raw body>"`` under ``ACCORD_WEBHOOK_SECRET``.
"""

from __future__ import annotations

import hashlib
import hmac

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from pydantic import BaseModel, ConfigDict, Field, field_validator

from accord.api.fields import Moment, Text
from accord.crm.choices import Channel, TouchKind

SIGNATURE_HEADER = "X-Accord-Signature"
TOLERANCE_SECONDS = 300
MAX_BODY_BYTES = 64 * 1024

BAD_SIGNATURE = "The signature is missing, wrong or too old."
NO_SECRET = "The lead webhook is switched off: set ACCORD_WEBHOOK_SECRET on the server."
TOO_LARGE = f"The body is larger than {MAX_BODY_BYTES} bytes."


def signature_make(*, secret: str, timestamp: int, body: bytes) -> str:
    """The header value a sender puts on ``body`` (used by tests, the bench and senders)."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={digest.hexdigest()}"


def signature_valid(*, secret: str, header: str, body: bytes, now: float) -> bool:
    parts = dict(item.split("=", 1) for item in header.split(",") if "=" in item)
    stamp, given = parts.get("t", ""), parts.get("v1", "")
    if not stamp.isdigit() or not given:
        return False
    if abs(now - int(stamp)) > TOLERANCE_SECONDS:
        return False
    expected = signature_make(secret=secret, timestamp=int(stamp), body=body)
    return hmac.compare_digest(expected.encode(), f"t={stamp},v1={given}".encode())


class DeliveredTouch(BaseModel):
    model_config = ConfigDict(extra="ignore")

    channel: Channel
    kind: TouchKind = TouchKind.FORM_FILL
    campaign: Text = Field("", max_length=255)
    occurred_at: Moment | None = None


class LeadDelivery(BaseModel):
    """One form fill as the sender describes it. ``id`` is the idempotency key."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    id: Text = Field(min_length=1, max_length=64)
    email: Text = Field(max_length=254)
    first_name: Text = Field("", max_length=120)
    last_name: Text = Field("", max_length=120)
    company: Text = Field("", max_length=255)
    title: Text = Field("", max_length=160)
    country: Text = Field("", max_length=2)
    source: Text = Field("", max_length=80)
    campaign: Text = Field("", max_length=255)
    occurred_at: Moment | None = None
    touches: list[DeliveredTouch] = Field(default_factory=list, max_length=100)

    @field_validator("email")
    @classmethod
    def _email_is_valid(cls, value: str) -> str:
        try:
            validate_email(value)
        except DjangoValidationError as exc:
            raise ValueError("Enter a valid e-mail address.") from exc
        return value.lower()
