"""``{{ value|metric_value:unit }}``: a metric's value as people read it."""

from __future__ import annotations

from django import template

from accord.metrics.format import metric_value as format_value

register = template.Library()


@register.filter
def metric_value(value: float | None, unit: str) -> str:
    return format_value(value, unit)
