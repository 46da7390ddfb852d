from __future__ import annotations

from datetime import date

import pytest
from django.http import QueryDict

from accord.directory.models import Segment
from accord.web.filters import (
    ERROR_MONTH,
    ERROR_ORDER,
    ERROR_SPAN,
    Filters,
    filters_from,
    last_full_quarter,
    month_add,
    months_between,
)

TODAY = date(2026, 11, 23)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 11, 23), (date(2026, 7, 1), date(2026, 9, 1))),
        (date(2026, 1, 1), (date(2025, 10, 1), date(2025, 12, 1))),
        (date(2026, 4, 30), (date(2026, 1, 1), date(2026, 3, 1))),
    ],
)
def test_the_default_period_is_the_last_full_quarter(today: date, expected) -> None:
    assert last_full_quarter(today) == expected


def test_month_arithmetic_crosses_years() -> None:
    assert month_add(date(2025, 11, 1), 3) == date(2026, 2, 1)
    assert month_add(date(2026, 1, 1), -1) == date(2025, 12, 1)
    assert months_between(date(2025, 12, 1), date(2026, 2, 1)) == [
        date(2025, 12, 1),
        date(2026, 1, 1),
        date(2026, 2, 1),
    ]


@pytest.mark.django_db
def test_filters_read_the_query_string_and_write_it_back() -> None:
    Segment.objects.create(name="Enterprise")
    params = QueryDict("start=2026-01&end=2026-03&segment=Enterprise&channel=email")
    filters, form = filters_from(params, today=TODAY)
    assert form.is_valid()
    assert (filters.first, filters.last, filters.end) == (
        date(2026, 1, 1),
        date(2026, 3, 1),
        date(2026, 4, 1),
    )
    assert filters.segment is not None and filters.segment.name == "Enterprise"
    assert filters.channel == "email"
    again, _ = filters_from(QueryDict(filters.query_string()), today=TODAY)
    assert again == filters
    assert filters.describe() == "Jan 2026 to Mar 2026 · Enterprise · Email"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("start=2026-13", "start", ERROR_MONTH),
        ("start=last%20year", "start", ERROR_MONTH),
        ("start=2026-05&end=2026-02", "end", ERROR_ORDER),
        ("start=2020-01&end=2026-01", "start", ERROR_SPAN),
        ("segment=Nowhere", "segment", None),
        ("channel=carrier_pigeon", "channel", None),
    ],
)
def test_a_bad_filter_is_reported_and_falls_back_to_the_default(query, field, message) -> None:
    filters, form = filters_from(QueryDict(query), today=TODAY)
    assert not form.is_valid()
    assert field in form.errors
    if message:
        assert message in form.errors[field]
    assert filters.first <= filters.last
    assert filters.segment is None and filters.channel == ""


@pytest.mark.django_db
def test_no_filters_means_the_last_full_quarter_everywhere() -> None:
    filters, form = filters_from(QueryDict(""), today=TODAY)
    assert not form.is_bound
    assert filters == Filters(date(2026, 7, 1), date(2026, 9, 1))
