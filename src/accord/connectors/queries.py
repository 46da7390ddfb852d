"""Who may import, and the uploads, runs and record origins they may see.

Importing changes the shared database for both teams, so it is for the
people who run operations: admins and the sales and marketing managers.
They see every upload and run (imports are shared work, not personal).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from accord.connectors.models import ImportRun, ImportUpload
from accord.crm import provenance
from accord.crm.models import Campaign, Contact
from accord.directory import access
from accord.directory.roles import Role

IMPORT_ROLES = frozenset({Role.ADMIN, Role.SALES_MANAGER, Role.MARKETING_MANAGER})
NOT_FOR_YOU = "Importing is for admins and sales or marketing managers."
RECENT = 20


def may_import(user: access.User) -> bool:
    person = access.person_for_user(user)
    if person is None:
        return bool(user.is_authenticated and user.is_superuser)
    return Role(person.role) in IMPORT_ROLES or bool(person.user and person.user.is_superuser)


def require_importer(user: access.User) -> None:
    if not may_import(user):
        raise PermissionDenied(NOT_FOR_YOU)


def uploads_for_user(user: access.User) -> QuerySet[ImportUpload]:
    if not may_import(user):
        return ImportUpload.objects.none()
    return ImportUpload.objects.select_related("uploaded_by", "run")


def upload_get_for_user(user: access.User, pk: int) -> ImportUpload:
    require_importer(user)
    upload = uploads_for_user(user).filter(pk=pk).first()
    if upload is None:
        raise Http404("No such upload.")
    return upload


def runs_for_user(user: access.User) -> QuerySet[ImportRun]:
    if not may_import(user):
        return ImportRun.objects.none()
    return ImportRun.objects.all()


def run_get_for_user(user: access.User, pk: int) -> ImportRun:
    require_importer(user)
    run = runs_for_user(user).filter(pk=pk).first()
    if run is None:
        raise Http404("No such import run.")
    return run


def _records_for_user(user: access.User, kind: str) -> QuerySet[Any]:
    scoped = {
        "account": access.accounts_for_user,
        "lead": access.leads_for_user,
        "opportunity": access.opportunities_for_user,
    }
    if kind in scoped:
        return scoped[kind](user)
    unscoped = {"contact": Contact, "campaign": Campaign}
    if kind in unscoped:
        return unscoped[kind].objects.all()
    raise Http404(f"No record kind {kind!r}.")


def record_origins_for_user(
    user: access.User, kind: str, pk: int
) -> tuple[Any, list[provenance.FieldOrigin]]:
    """A record and where each of its fields came from."""
    require_importer(user)
    record = _records_for_user(user, kind).filter(pk=pk).first()
    if record is None:
        raise Http404(f"No such {kind}, or it is not yours to see.")
    return record, provenance.origins(record)
