"""The one write path of the audit log: ``audit_record``.

Call it inside the transaction of the change it describes, so a change that
rolls back leaves no entry behind, and an entry never exists without its change.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.core.validators import validate_ipv46_address
from django.db import DatabaseError
from django.http import HttpRequest
from django.utils import timezone

from accord.audit.actions import ACTIONS
from accord.audit.models import AuditEntry
from accord.directory.models import Person

UNKNOWN_ACTION = "Unknown audit action {action!r}: add it to accord.audit.actions.ACTIONS."

Actor = AbstractBaseUser | AnonymousUser | Person | None
P = ParamSpec("P")
R = TypeVar("R")
log = logging.getLogger(__name__)


def audit_record(
    *,
    action: str,
    actor: Actor = None,
    target: str = "",
    detail: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
    ip: str | None = None,
) -> AuditEntry:
    """Append one entry. ``actor`` defaults to the request's user; ``ip`` to its address."""
    if action not in ACTIONS:
        raise ValueError(UNKNOWN_ACTION.format(action=action))
    if actor is None and request is not None:
        actor = getattr(request, "user", None)
    actor_id, actor_name = _actor(actor)
    return AuditEntry.objects.create(
        at=timezone.now(),
        action=action,
        actor_id=actor_id,
        actor_name=actor_name[:150],
        target=str(target)[:255],
        detail=detail or {},
        ip=_address(ip if ip is not None else _request_address(request)),
    )


def _actor(actor: Actor) -> tuple[int | None, str]:
    if isinstance(actor, Person):
        return actor.user_id, actor.name
    if actor is None or not actor.is_authenticated:
        return None, ""
    return actor.pk, actor.get_username()


def _request_address(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    from accord.ratelimit import client_address

    return client_address(request)


def _address(value: str | None) -> str | None:
    """A well-formed address or nothing: a forged header must not break the write."""
    if not value:
        return None
    try:
        validate_ipv46_address(value)
    except ValidationError:
        return None
    return value


def audited_file_step(action: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Record ``action`` on the file a backup or restore function was given, once it succeeded.

    A restore may bring back a database from before the audit log existed; the
    restore has still happened, so a missing table is logged, not raised.
    """

    def wrap(step: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(step)
        def run(*args: P.args, **kwargs: P.kwargs) -> R:
            result = step(*args, **kwargs)
            path = next((a for a in (*args, *kwargs.values()) if isinstance(a, Path)), "")
            summary = {"summary": result} if isinstance(result, str) else {}
            try:
                audit_record(action=action, target=str(path), detail=summary)
            except DatabaseError as exc:
                log.warning("The %s succeeded but its audit entry was not written: %s", action, exc)
            return result

        return run

    return wrap
