"""One demo login per role; every demo person shares the demo password."""

from __future__ import annotations

from accord.directory.roles import Role

DEMO_PASSWORD = "accord-demo"

# (username, role) for the people the demo prints; the test cast uses them too.
CAST: tuple[tuple[str, Role], ...] = (
    ("rep", Role.SALES_REP),
    ("marketer", Role.MARKETER),
    ("brand", Role.BRAND_MANAGER),
    ("liaison", Role.LIAISON),
    ("sales-manager", Role.SALES_MANAGER),
    ("marketing-manager", Role.MARKETING_MANAGER),
    ("cro", Role.REVENUE_LEADER),
    ("admin", Role.ADMIN),
)
DEMO_LOGINS: tuple[tuple[str, str], ...] = tuple((u, r.label) for u, r in CAST)
