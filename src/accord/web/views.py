from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone

from accord.pdf import PdfUnavailable
from accord.web.cockpit import can_see_cockpit, cockpit_build
from accord.web.filters import filters_from
from accord.web.queries import home_for_user
from accord.web.report import report_build, report_html, report_pdf

View = Callable[..., HttpResponse]
PDF_UNAVAILABLE = "The PDF needs Chromium on the server; the report page prints from a browser."


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request, "web/home.html", {"home": home_for_user(request.user), "now": timezone.now()}
    )


def leaders_only(view: View) -> View:
    """Logged in, and a manager, the revenue leader or an admin (the cockpit's readers)."""

    @login_required
    @wraps(view)
    def checked(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if not can_see_cockpit(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return checked


@leaders_only
def cockpit(request: HttpRequest) -> HttpResponse:
    filters, form = filters_from(request.GET)
    board = cockpit_build(filters)
    template = "web/cockpit.html#board" if request.htmx else "web/cockpit.html"
    return render(request, template, {"board": board, "form": form, "filters": filters})


@leaders_only
def cockpit_csv(request: HttpRequest, key: str) -> HttpResponse:
    filters, _ = filters_from(request.GET)
    chart = cockpit_build(filters).chart(key)
    if chart is None:
        raise Http404
    response = HttpResponse(chart.csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="accord-{key}.csv"'
    return response


@leaders_only
def report(request: HttpRequest) -> HttpResponse:
    filters, _ = filters_from(request.GET)
    return HttpResponse(report_html(report_build(filters)))


@leaders_only
def report_download(request: HttpRequest) -> HttpResponse:
    filters, _ = filters_from(request.GET)
    try:
        pdf = report_pdf(report_build(filters))
    except PdfUnavailable as exc:
        return HttpResponse(f"{PDF_UNAVAILABLE} ({exc})", status=503, content_type="text/plain")
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"accord-alignment-{filters.first:%Y-%m}-{filters.last:%Y-%m}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def health(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})
