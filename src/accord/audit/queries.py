"""Reads of the audit log, scoped to who is asking."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from accord.audit.actions import ACTIONS, CHANGE
from accord.audit.models import AuditEntry
from accord.directory.access import person_for_user, sees_everything
from accord.directory.roles import MANAGER_ROLES, Role

NOT_ALLOWED = "The audit log is for admins and managers."
PAGE_SIZE = 200


def audit_entries_for_user(
    user: AbstractBaseUser | AnonymousUser, *, action: str = ""
) -> QuerySet[AuditEntry]:
    """Admins and revenue leaders read everything; managers read changes to shared
    definitions and owners (not log-ins, which carry addresses); others nothing."""
    person = person_for_user(user)
    if person is None:
        raise PermissionDenied(NOT_ALLOWED)
    entries = AuditEntry.objects.all()
    if not sees_everything(person):
        if Role(person.role) not in MANAGER_ROLES:
            raise PermissionDenied(NOT_ALLOWED)
        entries = entries.filter(action__in=[c for c, k in ACTIONS.items() if k.audience == CHANGE])
    if action:
        entries = entries.filter(action=action)
    return entries
