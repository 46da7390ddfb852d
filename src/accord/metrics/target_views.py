"""The Targets page: monthly targets both sides own, and the reverse waterfall of a period."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accord.directory.models import Segment
from accord.metrics import scorecard, services
from accord.metrics.definitions.revenue import month_add
from accord.metrics.models import TargetMeasure
from accord.metrics.target_queries import (
    WaterfallView,
    manager_for_user,
    targets_of_year,
    waterfall_for_user,
)

BAD_YEAR = "Year: give a year such as 2025, not {value!r}."
BAD_MONTH = "Give a month as YYYY-MM, not {value!r}."
NO_SEGMENT = "No segment named {value!r}."
SAVED = "Target saved: {measure} {month:%Y-%m} ({scope}) is {amount:,.2f}."
APPLIED = (
    "Marketing now commits to {mqls} MQLs and sales to {pipeline:,.2f} of pipeline "
    "over {start:%Y-%m} to {last:%Y-%m} ({scope})."
)
FORM_FIELDS = ("month", "measure", "amount", "segment")


def _year(value: str | None, today: date) -> tuple[int, str]:
    if not value:
        return today.year, ""
    if value.isdigit() and 2000 <= int(value) <= 2100:
        return int(value), ""
    return today.year, BAD_YEAR.format(value=value)


def _page(request: HttpRequest, form: dict[str, str], errors: dict[str, str]) -> HttpResponse:
    """Render the page: the year's table, the form, and the waterfall when one is asked for."""
    params, today = request.GET, timezone.now().date()
    year, year_error = _year(params.get("year"), today)
    waterfall: WaterfallView | None = None
    period_error = ""
    wants = params.get("from") is not None or params.get("to") is not None
    if wants:
        try:
            waterfall = waterfall_for_user(
                request.user,
                start=params.get("from") or None,
                end=params.get("to") or None,
                segment=params.get("segment"),
                today=today,
            )
        except scorecard.PeriodError as exc:
            period_error = str(exc)
    context: dict[str, Any] = {
        "year": year,
        "year_error": year_error,
        "table": targets_of_year(request.user, year),
        "segments": list(Segment.objects.order_by("name").values_list("name", flat=True)),
        "measures": TargetMeasure.choices,
        "form": form,
        "errors": errors,
        "choice": {k: params.get(k, "") for k in ("from", "to", "segment")},
        "waterfall": waterfall,
        "period_error": period_error,
    }
    status = 400 if errors or year_error or period_error else 200
    return render(request, "metrics/targets.html", context, status=status)


@login_required
def targets(request: HttpRequest) -> HttpResponse:
    manager_for_user(request.user)
    return _page(request, {"measure": "revenue"}, {})


def _target_input(post: QueryDict) -> tuple[dict[str, Any], dict[str, str]]:
    """The form's month and segment as records, with an error per field that is wrong."""
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    month = post.get("month", "").strip()
    try:
        values["month"] = scorecard.month_parse(month, "Month")
    except (ValueError, scorecard.PeriodError):
        errors["month"] = BAD_MONTH.format(value=month)
    name = post.get("segment", "").strip()
    values["segment"] = Segment.objects.filter(name=name).first() if name else None
    if name and values["segment"] is None:
        errors["segment"] = NO_SEGMENT.format(value=name)
    return values, errors


@login_required
@require_POST
def target_save(request: HttpRequest) -> HttpResponse:
    me = manager_for_user(request.user)
    post = request.POST
    form = {name: post.get(name, "") for name in FORM_FIELDS}
    values, errors = _target_input(post)
    if not errors:
        try:
            target = services.target_set(
                by=me,
                month=values["month"],
                measure=post.get("measure", ""),
                amount=post.get("amount", "").strip(),
                segment=values["segment"],
            )
        except services.MoneyInputError as exc:
            field, _, _ = str(exc).partition(":")
            errors[field if field in FORM_FIELDS else "amount"] = str(exc)
        else:
            scope = target.segment.name if target.segment else "whole company"
            messages.success(
                request,
                SAVED.format(
                    measure=target.measure, month=target.month, scope=scope, amount=target.amount
                ),
            )
            return redirect(f"{reverse('metrics:targets')}?year={target.month.year}")
    return _page(request, form, errors)


@login_required
@require_POST
def waterfall_commit(request: HttpRequest) -> HttpResponse:
    """Make the period's revenue waterfall marketing's MQL and sales' pipeline commitments."""
    me = manager_for_user(request.user)
    post = request.POST
    choice = {k: post.get(k, "") for k in ("from", "to", "segment")}
    back = f"{reverse('metrics:targets')}?{urlencode(choice)}"
    try:
        view = waterfall_for_user(
            request.user,
            start=choice["from"] or None,
            end=choice["to"] or None,
            segment=choice["segment"],
            today=timezone.now().date(),
        )
    except scorecard.PeriodError as exc:
        messages.error(request, str(exc))
        return redirect(back)
    if view.waterfall is None:
        messages.error(request, view.error)
        return redirect(back)
    segment = Segment.objects.filter(name=view.segment).first() if view.segment else None
    try:
        services.waterfall_apply(
            by=me, waterfall=view.waterfall, segment=segment, start=view.start, end=view.end
        )
    except services.MoneyInputError as exc:
        messages.error(request, str(exc))
        return redirect(back)
    plan = view.waterfall.plan
    messages.success(
        request,
        APPLIED.format(
            mqls=plan.mql_commitment,
            pipeline=plan.pipeline_commitment,
            start=view.start,
            last=month_add(view.end, -1),
            scope=view.segment or "whole company",
        ),
    )
    return redirect(back)
