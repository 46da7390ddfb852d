"""The filters every cockpit view shares: period, segment, region, channel and team.

They live in the URL's query string, so a filtered view can be shared by link,
and they are validated like any form: a bad value is reported and the filter
falls back to its default instead of failing the page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django import forms
from django.http import QueryDict
from django.utils import timezone

from accord.crm.choices import Channel
from accord.directory.models import Segment, Team, Territory
from accord.months import last_full_quarter as quarter_ended
from accord.months import month_add, months_of

MONTH_FORMAT = "%Y-%m"
MAX_MONTHS = 36
ERROR_MONTH = "Use a month like 2026-07."
ERROR_ORDER = "The first month must not be after the last."
ERROR_SPAN = f"Choose at most {MAX_MONTHS} months."


def month_parse(text: str) -> date:
    try:
        year, month = (int(part) for part in text.strip().split("-"))
        return date(year, month, 1)
    except ValueError:
        raise forms.ValidationError(ERROR_MONTH, code="month") from None


def months_between(first: date, last: date) -> list[date]:
    """Every month from ``first`` to ``last``, both included."""
    return months_of(first, month_add(last, 1))


def last_full_quarter(today: date) -> tuple[date, date]:
    """First and last month of the last quarter that has fully ended."""
    first, after = quarter_ended(today)
    return first, month_add(after, -1)


class MonthField(forms.CharField):
    def to_python(self, value: object) -> date | None:  # type: ignore[override]
        text = super().to_python(value)
        return month_parse(text) if text else None


class FilterForm(forms.Form):
    start = MonthField(label="From month", required=False)
    end = MonthField(label="To month", required=False)
    segment = forms.ModelChoiceField(
        Segment.objects.order_by("name"),
        required=False,
        empty_label="All segments",
        to_field_name="name",
    )
    region = forms.ModelChoiceField(
        Territory.objects.order_by("name"),
        required=False,
        empty_label="All regions",
        to_field_name="name",
    )
    channel = forms.ChoiceField(choices=[("", "All channels"), *Channel.choices], required=False)
    team = forms.ModelChoiceField(
        Team.objects.order_by("name"),
        required=False,
        empty_label="All teams",
        to_field_name="name",
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", ERROR_ORDER)
        elif start and end and len(months_between(start, end)) > MAX_MONTHS:
            self.add_error("start", ERROR_SPAN)
        return data


@dataclass(frozen=True)
class Filters:
    """Validated filters: whole months from ``first`` to ``last``, and optional slices."""

    first: date
    last: date
    segment: Segment | None = None
    region: Territory | None = None
    channel: str = ""
    team: Team | None = None

    @property
    def end(self) -> date:
        """The first day after the last month (exclusive end)."""
        return month_add(self.last, 1)

    @property
    def months(self) -> list[date]:
        return months_between(self.first, self.last)

    def query_string(self) -> str:
        params = QueryDict(mutable=True)
        params["start"] = self.first.strftime(MONTH_FORMAT)
        params["end"] = self.last.strftime(MONTH_FORMAT)
        for name in ("segment", "region", "team"):
            if (value := getattr(self, name)) is not None:
                params[name] = value.name
        if self.channel:
            params["channel"] = self.channel
        return params.urlencode()

    def describe(self) -> str:
        parts = [f"{self.first:%b %Y} to {self.last:%b %Y}"]
        parts += [str(v) for v in (self.segment, self.region, self.team) if v is not None]
        if self.channel:
            parts.append(Channel(self.channel).label)
        return " · ".join(parts)


def filters_from(params: QueryDict, *, today: date | None = None) -> tuple[Filters, FilterForm]:
    """Filters from a query string; invalid fields fall back to defaults (the form says why)."""
    today = today or timezone.localdate()
    default_first, default_last = last_full_quarter(today)
    form = FilterForm(params or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else _valid_part(form)
    filters = Filters(
        first=data.get("start") or default_first,
        last=data.get("end") or default_last,
        segment=data.get("segment"),
        region=data.get("region"),
        channel=data.get("channel") or "",
        team=data.get("team"),
    )
    if filters.first > filters.last:
        filters = Filters(default_first, default_last, filters.segment, filters.region)
    return filters, form


def _valid_part(form: FilterForm) -> dict[str, object]:
    if not form.is_bound:
        return {}
    form.is_valid()
    return {k: v for k, v in form.cleaned_data.items() if k not in form.errors}
