"""How a metric's value reads to a person: a percentage, an amount, days."""

from __future__ import annotations

from django.conf import settings

NO_VALUE = "—"


def metric_value(value: float | None, unit: str) -> str:
    """``0.4231`` as ``42.3%``, money with thousands separators, days with one decimal."""
    if value is None:
        return NO_VALUE
    if unit == "ratio":
        return f"{value:.1%}"
    if unit == "money":
        return f"{value:,.0f} {settings.ACCORD_COMPANY_CURRENCY}"
    if unit == "multiple":
        return f"{value:,.2f} times"
    if unit in ("days", "hours", "months"):
        return f"{value:,.1f} {unit}"
    return f"{value:,.0f}"
