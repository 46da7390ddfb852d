"""Writes for people and roles."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission, User
from django.db import transaction

from accord.directory.models import Person, Team
from accord.directory.roles import ROLE_INFO, Role

UNKNOWN_ROLE = "Unknown role {role!r}; choose one of: {choices}."


def roles_sync() -> None:
    """Create one auth group per role with exactly its permissions (idempotent)."""
    for role, info in ROLE_INFO.items():
        group, _ = Group.objects.get_or_create(name=info.label)
        perms = []
        for dotted in info.permissions:
            app_label, codename = dotted.split(".")
            perm = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if perm is not None:
                perms.append(perm)
        group.permissions.set(perms)
        if role == Role.ADMIN:
            group.permissions.set(Permission.objects.all())


def person_create(
    *,
    name: str,
    email: str,
    role: str,
    team: Team | None = None,
    username: str | None = None,
    password: str | None = None,
    password_hash: str | None = None,
    title: str = "",
    time_zone: str = "UTC",
    country: str = "",
) -> Person:
    """Create a person and, with a username, their login in the role's group."""
    try:
        role_value = Role(role)
    except ValueError as exc:
        choices = ", ".join(r.value for r in Role)
        raise ValueError(UNKNOWN_ROLE.format(role=role, choices=choices)) from exc
    with transaction.atomic():
        user = None
        if username:
            user = User.objects.create_user(
                username=username,
                email=email.lower(),
                password=password,
                is_staff=role_value == Role.ADMIN,
                is_superuser=role_value == Role.ADMIN,
            )
            if password_hash:
                user.password = password_hash
                user.save(update_fields=["password"])
            group = Group.objects.filter(name=ROLE_INFO[role_value].label).first()
            if group is not None:
                user.groups.add(group)
        return Person.objects.create(
            user=user,
            name=name,
            email=email.lower(),
            role=role_value.value,
            team=team,
            title=title,
            time_zone=time_zone,
            country=country,
        )
