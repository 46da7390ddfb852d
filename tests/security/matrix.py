"""The machinery of the access-control matrix: who, outcomes, and how a row is checked.

The table itself lives in ``access_matrix.py``; read that file to learn who may
open what. This one says what the words in it mean.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver

# Everyone the matrix asks about. "outsider" has a login but no person record
# (a leftover account, a contractor): they must see nothing of the company.
ROLES = (
    "anonymous",
    "outsider",
    "rep",
    "other_rep",
    "marketer",
    "brand",
    "liaison",
    "sales_manager",
    "marketing_manager",
    "cro",
    "admin",
)
GROUPS: dict[str, tuple[str, ...]] = {
    "reps": ("rep", "other_rep"),
    "marketing": ("marketer", "brand", "liaison"),
    "managers": ("sales_manager", "marketing_manager"),
    "leaders": ("cro", "admin"),
    "people": ROLES[2:],  # everyone with a person record
}

# Outcomes. Numbers are plain status codes; the words are checked more closely.
OK = 200
LOGIN = "login"  # 302 to the log-in page
REDIRECT = "redirect"  # 302 somewhere else
CSRF = "csrf"  # 403 from the CSRF check, before the view runs
FORBIDDEN = 403
MISSING = 404
NO_SUCH_METHOD = 405
GONE = 410
UNAUTHENTICATED = 401
UNAVAILABLE = 503
Outcome = int | str


def who(default: Outcome, **exceptions: Outcome) -> dict[str, Outcome]:
    """``who(OK, anonymous=LOGIN, reps=FORBIDDEN)``: one outcome per role.

    Keys are role names or group names (``reps``, ``marketing``, ``managers``,
    ``leaders``, ``people``); a role named alone wins over its group.
    """
    unknown = set(exceptions) - set(ROLES) - set(GROUPS)
    if unknown:
        raise ValueError(f"unknown roles or groups in the matrix: {sorted(unknown)}")
    outcome = dict.fromkeys(ROLES, default)
    for key, value in exceptions.items():
        if key in GROUPS:
            outcome.update(dict.fromkeys(GROUPS[key], value))
    for key, value in exceptions.items():
        if key in ROLES:
            outcome[key] = value
    return outcome


@dataclass(frozen=True)
class Pick:
    """A real record for a path parameter: the first (by id) matching ``filters``."""

    model: str
    filters: dict[str, Any] = field(default_factory=dict)

    def resolve(self) -> Any:
        rows = apps.get_model(self.model).objects.filter(**self.filters).order_by("pk")
        value = rows.values_list("pk", flat=True).first()
        if value is None:
            raise LookupError(f"no {self.model} matching {self.filters} in the demo company")
        return value


def pick(model: str, **filters: Any) -> Pick:
    return Pick(model, filters)


CSRF_REFUSED = who(CSRF)
API_NEEDS_TOKEN = who(UNAUTHENTICATED)


@dataclass(frozen=True)
class Row:
    """One URL pattern: what each role gets from GET and from a POST without a CSRF token.

    ``api`` rows are asked with each person's API token for GET (the token is the
    login there) and with only the session cookie for POST: a browser's cookie
    must never be enough to change anything through the API.
    """

    route: str
    get: dict[str, Outcome]
    post: dict[str, Outcome] = field(default_factory=lambda: CSRF_REFUSED)
    params: dict[str, Pick | str | int] = field(default_factory=dict)
    api: bool = False
    path: str = ""  # for regex routes and wildcards: the address to ask
    note: str = ""
    # Known gaps: {role: what it gets today}, while ``get`` says what it must get.
    # The test holds today's outcome, and fails once the gap is closed so the entry
    # is removed. Each gap is listed in docs/security.md with its owner.
    gaps: dict[str, Outcome] = field(default_factory=dict)

    def get_today(self, role: str) -> Outcome:
        return self.gaps.get(role, self.get[role])

    def address(self) -> str:
        """The route with its parameters filled from real records."""
        if self.path:
            return self.path
        text = "/" + self.route
        for name, value in self.params.items():
            real = value.resolve() if isinstance(value, Pick) else value
            text = re.sub(rf"<(?:\w+:)?{name}>", str(real), text)
        if "<" in text:
            raise LookupError(f"{self.route}: give a value for every parameter in params=")
        return text


def url_patterns() -> Iterator[str]:
    """Every route in the URLconf, as text (``funnel/leads/<int:pk>/``)."""

    def walk(resolver: URLResolver, prefix: str) -> Iterator[str]:
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern)

    yield from walk(get_resolver(), "")


def covered(route: str, table: dict[str, Row], wildcards: tuple[str, ...]) -> bool:
    return route in table or any(route.startswith(prefix) for prefix in wildcards)
