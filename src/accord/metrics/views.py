"""The metric pages: the shared scorecard and the definitions both sides sign."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accord.directory.access import person_for_user
from accord.directory.roles import MANAGER_ROLES, Role
from accord.metrics import queries, signoff
from accord.metrics.models import MetricVersion
from accord.metrics.registry import metrics_all

REFRESH_ASKED = "The data is being refreshed; the numbers follow the new snapshot."
REFRESH_NOT_ALLOWED = "Only managers and admins refresh the metric data."
PROPOSE_INCOMPLETE = "Choose a metric and say what it means."
PARAMETER_LINE = "parameters: write one 'name = number' per line, not {line!r}."


@login_required
def scorecard(request: HttpRequest) -> HttpResponse:
    params = request.GET
    page = queries.scorecard_for_user(
        request.user,
        start=params.get("from"),
        end=params.get("to"),
        segment=params.get("segment"),
        today=timezone.now().date(),
    )
    form = {"from": params.get("from", ""), "to": params.get("to", "")}
    if page.query is not None and page.last_month is not None:
        form = {"from": f"{page.query.start:%Y-%m}", "to": f"{page.last_month:%Y-%m}"}
    form["segment"] = (page.query.segment if page.query else params.get("segment")) or ""
    status = 400 if page.error else 200
    return render(request, "metrics/scorecard.html", {"page": page, "form": form}, status=status)


@login_required
@require_POST
def refresh(request: HttpRequest) -> HttpResponse:
    from accord.metrics.tasks import metrics_refresh

    if not queries.may_manage(person_for_user(request.user)):
        messages.error(request, REFRESH_NOT_ALLOWED)
    else:
        metrics_refresh.enqueue(reschedule=False)
        messages.success(request, REFRESH_ASKED)
    back = request.POST.get("next", "")
    return redirect(back if back.startswith("/metrics/") else "metrics:scorecard")


@login_required
def definitions(request: HttpRequest) -> HttpResponse:
    me = person_for_user(request.user)
    rows = signoff.definition_rows()
    context = {
        "rows": rows,
        "has_pending": any(row.pending for row in rows),
        "signing_side": me and signoff.SIGNING_SIDE.get(Role(me.role)),
        "may_propose": me is not None and Role(me.role) in MANAGER_ROLES,
        "metrics": metrics_all(),
    }
    return render(request, "metrics/definitions.html", context)


def _parameters(text: str) -> dict[str, object]:
    parameters: dict[str, object] = {}
    for line in text.splitlines():
        if not line.strip():
            continue
        name, sep, value = line.partition("=")
        if not sep or not name.strip():
            raise signoff.SignoffError(PARAMETER_LINE.format(line=line.strip()))
        parameters[name.strip()] = value.strip()
    return parameters


@login_required
@require_POST
def propose(request: HttpRequest) -> HttpResponse:
    me, post = person_for_user(request.user), request.POST
    if not post.get("metric") or not post.get("definition", "").strip():
        messages.error(request, PROPOSE_INCOMPLETE)
        return redirect("metrics:definitions")
    try:
        if me is None:
            raise signoff.SignoffError(signoff.PROPOSE_NOT_ALLOWED)
        version = signoff.metric_version_propose(
            metric_key=post["metric"],
            definition=post["definition"],
            formula=post.get("formula", ""),
            parameters=_parameters(post.get("parameters", "")),
            by=me,
        )
        messages.success(request, f"{version} awaits both signatures.")
    except (signoff.SignoffError, KeyError) as exc:
        messages.error(request, str(exc).strip('"'))
    return redirect("metrics:definitions")


@login_required
@require_POST
def sign(request: HttpRequest, pk: int) -> HttpResponse:
    me = person_for_user(request.user)
    version = get_object_or_404(MetricVersion, pk=pk)
    try:
        if me is None:
            raise signoff.SignoffError(signoff.SIGN_NEEDS_MANAGER)
        signed = signoff.metric_version_sign(version=version, by=me)
        if signed.in_force_from:
            messages.success(request, f"{signed} is in force.")
    except signoff.SignoffError as exc:
        messages.error(request, str(exc))
    return redirect("metrics:definitions")
