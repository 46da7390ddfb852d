"""Every URL, every role: the outcome the access-control matrix promises.

The table is ``tests/security/access_matrix.py``. A URL pattern without a row
fails ``test_every_url_has_a_row`` with the line to add; see CONTRIBUTING.md.
The demo company (small) is built once for the module and rolled back after.

Set ``ACCORD_MATRIX_OBSERVE=FILE`` to write what each role actually got, as
a grid, when writing rows for new pages (then check every cell by hand).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from django.test import Client

from tests.conftest import AS_OF
from tests.security.access_matrix import TABLE, WILDCARDS
from tests.security.matrix import (
    CSRF,
    LOGIN,
    REDIRECT,
    ROLES,
    Outcome,
    Row,
    covered,
    url_patterns,
)

ADD_A_ROW = (
    "{count} URL pattern(s) have no row in tests/security/access_matrix.py. Add one per "
    "pattern, saying what each role gets (see CONTRIBUTING.md, 'Add a page'):\n{lines}"
)
STALE_ROW = "Rows for URL patterns that no longer exist; remove them:\n{lines}"


def test_every_url_has_a_row() -> None:
    routes = list(url_patterns())
    missing = [r for r in routes if not covered(r, TABLE, WILDCARDS)]
    lines = "\n".join(
        f'    Row("{r}", get=who(OK, anonymous=LOGIN), params={{...}}),' for r in missing
    )
    assert not missing, ADD_A_ROW.format(count=len(missing), lines=lines)
    stale = sorted(set(TABLE) - set(routes))
    assert not stale, STALE_ROW.format(lines="\n".join(stale))


@dataclass
class World:
    clients: dict[str, Client]
    tokens: dict[str, str]


def _other_rep() -> User:
    """A second rep with a login, on another team than the demo's ``rep``."""
    from accord.directory.models import Person

    rep = Person.objects.get(user__username="rep")
    other = (
        Person.objects.filter(role="sales_rep", user__isnull=False, team__isnull=False)
        .exclude(team=rep.team)
        .order_by("pk")
        .first()
    )
    assert other is not None, "the demo company needs a rep with a login on a second team"
    return other.user


def _users() -> dict[str, User | None]:
    demo = {
        "rep": "rep",
        "marketer": "marketer",
        "brand": "brand",
        "liaison": "liaison",
        "sales_manager": "sales-manager",
        "marketing_manager": "marketing-manager",
        "cro": "cro",
        "admin": "admin",
    }
    users: dict[str, User | None] = {r: User.objects.get(username=u) for r, u in demo.items()}
    users["other_rep"] = _other_rep()
    users["outsider"] = User.objects.create_user("outsider")
    users["anonymous"] = None
    return users


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> Iterator[World]:
    from accord.api.services import token_create
    from accord.demo.build import demo_build
    from accord.directory.models import Person

    with django_db_blocker.unblock(), transaction.atomic():
        demo_build(size="small", seed=7, as_of=AS_OF)
        clients, tokens = {}, {}
        for role, user in _users().items():
            clients[role] = Client(enforce_csrf_checks=True)
            if user is not None:
                clients[role].force_login(user)
                person = Person.objects.filter(user=user).first()
                if person is not None:
                    tokens[role] = token_create(person=person)[1]
        yield World(clients, tokens)
        transaction.set_rollback(True)


def outcome_of(response) -> Outcome:
    status = response.status_code
    if status in (301, 302):
        location = response["Location"]
        return LOGIN if location.startswith(("/login/", "/admin/login/")) else REDIRECT
    if status == 403 and b"CSRF verification failed" in response.content:
        return CSRF
    return status


def ask(world: World, row: Row, role: str, method: str) -> Outcome:
    client = world.clients[role]
    address = row.address()
    if row.api and method == "get":
        token = world.tokens.get(role)
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return outcome_of(client.get(address, headers=headers))
    if method == "get":
        return outcome_of(client.get(address))
    return outcome_of(client.post(address, {}))


def _observe(world: World, rows: list[Row]) -> None:
    lines = ["route | method | " + " ".join(ROLES)]
    for row in rows:
        for method in ("get", "post"):
            try:
                got = [str(ask(world, row, role, method)) for role in ROLES]
            except LookupError as exc:
                got = [f"no record: {exc}"]
            lines.append(f"{row.route} | {method} | {' '.join(got)}")
    with open(os.environ["ACCORD_MATRIX_OBSERVE"], "w") as handle:
        handle.write("\n".join(lines) + "\n")


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_what_the_matrix_says(world: World, role: str, db) -> None:
    rows = list(TABLE.values())
    if os.environ.get("ACCORD_MATRIX_OBSERVE"):
        if role == ROLES[0]:
            _observe(world, rows)
        pytest.skip("observing only")
    wrong = []
    for row in rows:
        for method, expected in (("get", row.get_today(role)), ("post", row.post[role])):
            got = ask(world, row, role, method)
            if got == expected:
                continue
            if method == "get" and role in row.gaps and got == row.get[role]:
                wrong.append(f"GET {row.address()}: the known gap is closed, remove it from gaps")
            else:
                wrong.append(f"{method.upper()} {row.address()}: expected {expected}, got {got}")
    assert not wrong, f"{role}:\n" + "\n".join(wrong)
