"""Reads of the API: token lookup, the records each person may see, cursor pages.

Leads, opportunities and accounts come through ``accord.directory.access``,
so the API shows exactly what the pages show. Contacts, campaigns, touches
and spend are shared ground like accounts: every person sees them.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TypeVar

from django.db.models import Model, Q, QuerySet

from accord.api.fields import plausible_moment, record_id
from accord.api.models import ApiToken
from accord.api.tokens import token_hash
from accord.crm.models import Campaign, Contact, Spend, Touch
from accord.directory import access

M = TypeVar("M", bound=Model)
BAD_CURSOR = "This cursor is not one the API gave out."


class CursorError(ValueError):
    pass


def token_find(*, raw: str) -> ApiToken | None:
    """The active token for ``raw`` whose person is active and can log in."""
    return (
        ApiToken.objects.select_related("person__user")
        .filter(key_hash=token_hash(raw), revoked_at__isnull=True, person__is_active=True)
        .exclude(person__user__isnull=True)
        .filter(person__user__is_active=True)
        .first()
    )


def _shared(model: type[M]) -> Callable[[access.User], QuerySet[M]]:
    def for_user(user: access.User) -> QuerySet[M]:
        if access.person_for_user(user) is None:
            return model.objects.none()
        return model.objects.all()

    return for_user


contacts_for_user = _shared(Contact)
campaigns_for_user = _shared(Campaign)
touches_for_user = _shared(Touch)
spend_for_user = _shared(Spend)


def page_of(
    queryset: QuerySet[M], *, cursor: str | None, limit: int, updated_since: datetime | None
) -> tuple[list[M], str | None]:
    """One page in (updated_at, id) order and the cursor of the next, if any.

    A record changed while a client pages moves to the end, so a sync that
    pages to the end misses nothing (it may see the record twice).
    """
    queryset = queryset.order_by("updated_at", "pk")
    if updated_since is not None:
        queryset = queryset.filter(updated_at__gte=updated_since)
    if cursor:
        moment, pk = cursor_decode(cursor)
        queryset = queryset.filter(Q(updated_at__gt=moment) | Q(updated_at=moment, pk__gt=pk))
    rows = list(queryset[: limit + 1])
    if len(rows) <= limit:
        return rows, None
    last = rows[limit - 1]
    return rows[:limit], cursor_encode(last.updated_at, last.pk)


def cursor_encode(moment: datetime, pk: int) -> str:
    text = f"{moment.astimezone(UTC).isoformat()}|{pk}"
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def cursor_decode(cursor: str) -> tuple[datetime, int]:
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        moment, pk = text.split("|")
        return plausible_moment(datetime.fromisoformat(moment)), record_id(int(pk))
    except ValueError as exc:  # binascii.Error and UnicodeDecodeError are ValueErrors
        raise CursorError(BAD_CURSOR) from exc
