"""The funnel pages: a rep's queue, a lead's history, marketing's view, the scorecard."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accord.crm.choices import LeadStage, RejectionReason
from accord.crm.models import Lead
from accord.directory import access
from accord.directory.models import Person
from accord.directory.roles import MANAGER_ROLES, Role
from accord.funnel import predictive, queries, scoring, services
from accord.funnel.models import FIT_ATTRIBUTES, Side, StageDefinition

SALES_ONLY = "Only sales works leads; this lead is not yours to change."
STAGE_FORM_INCOMPLETE = "Choose a stage and write what it means."


def _me(request: HttpRequest) -> Person | None:
    return access.person_for_user(request.user)


def _lead_to_work(request: HttpRequest, pk: int) -> tuple[Lead, Person]:
    """Fetch through the access helper; marketing may look but not accept or reject."""
    lead = access.lead_get_for_user(request.user, pk)
    me = _me(request)
    if me is None or me.side == "marketing":
        raise Http404(SALES_ONLY)
    return lead, me


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    me, visible = _me(request), access.leads_for_user(request.user)
    mine = queries.rep_queue(visible, me) if me else Lead.objects.none()
    team = queries.team_queue(visible, me) if me else Lead.objects.none()
    context = {
        "leads": mine[:200],
        "team_leads": team[:200],
        "reasons": RejectionReason.choices,
        "now": timezone.now(),
    }
    return render(request, "funnel/queue.html", context)


def _after_move(request: HttpRequest, lead: Lead, error: str = "") -> HttpResponse:
    if request.htmx:
        context = {"lead": lead, "error": error, "reasons": RejectionReason.choices}
        context["now"] = timezone.now()
        return render(request, "funnel/queue.html#lead-row", context)
    if error:
        messages.error(request, error)
    return redirect("funnel:queue")


def _act(request: HttpRequest, pk: int, move: Callable[[Lead, Person], Lead]) -> HttpResponse:
    lead, me = _lead_to_work(request, pk)
    try:
        lead = move(lead, me)
    except services.LeadMoveError as exc:
        lead.refresh_from_db()
        return _after_move(request, lead, str(exc))
    return _after_move(request, lead)


@login_required
@require_POST
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, lambda lead, me: services.lead_accept(lead=lead, by=me))


@login_required
@require_POST
def reject(request: HttpRequest, pk: int) -> HttpResponse:
    reason, note = request.POST.get("reason", ""), request.POST.get("note", "")
    return _act(
        request,
        pk,
        lambda lead, me: services.lead_reject(lead=lead, by=me, reason=reason, note=note),
    )


@login_required
@require_POST
def contacted(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, lambda lead, me: services.lead_record_contact(lead=lead, by=me))


@login_required
def history(request: HttpRequest, pk: int) -> HttpResponse:
    lead = access.lead_get_for_user(request.user, pk)
    context = {
        "lead": lead,
        "events": queries.lead_history(lead),
        "prediction": predictive.lead_acceptance_chance(lead),
    }
    return render(request, "funnel/history.html", context)


@login_required
def mql_outcomes(request: HttpRequest) -> HttpResponse:
    outcomes = queries.mql_outcomes(access.leads_for_user(request.user))
    me = _me(request)
    return render(request, "funnel/mqls.html", {"outcomes": outcomes, "my_name": me and me.name})


@login_required
def scorecard(request: HttpRequest) -> HttpResponse:
    rows = queries.sla_scorecard(access.leads_for_user(request.user))
    return render(request, "funnel/scorecard.html", {"rows": rows})


@login_required
def stages(request: HttpRequest) -> HttpResponse:
    me, rows = _me(request), queries.stage_rows()
    context = {
        "rows": rows,
        "pending": [row for row in rows if row.pending],
        "signing_side": me and services.SIGNING_SIDE.get(Role(me.role)),
        "may_propose": me is not None and Role(me.role) in MANAGER_ROLES,
        "stage_choices": LeadStage.choices,
        "side_choices": Side.choices,
    }
    return render(request, "funnel/stages.html", context)


@login_required
@require_POST
def stage_propose(request: HttpRequest) -> HttpResponse:
    me, post = _me(request), request.POST
    if me is None or post.get("stage") not in LeadStage.values or not post.get("definition"):
        messages.error(request, STAGE_FORM_INCOMPLETE)
        return redirect("funnel:stages")
    try:
        services.stage_definition_propose(
            stage=post["stage"],
            definition=post["definition"],
            owner_side=post.get("owner_side", Side.SALES),
            entry_criteria=post.get("entry_criteria", ""),
            buyer_doing=post.get("buyer_doing", ""),
            we_do=post.get("we_do", ""),
            by=me,
        )
    except (services.LeadMoveError, ValueError) as exc:
        messages.error(request, str(exc))
    return redirect("funnel:stages")


@login_required
@require_POST
def stage_sign(request: HttpRequest, pk: int) -> HttpResponse:
    me = _me(request)
    definition = get_object_or_404(StageDefinition, pk=pk)
    try:
        if me is None:
            raise services.LeadMoveError(services.SIGN_NEEDS_MANAGER)
        services.stage_definition_sign(definition=definition, by=me)
    except services.LeadMoveError as exc:
        messages.error(request, str(exc))
    return redirect("funnel:stages")


@login_required
def scoring_rules(request: HttpRequest) -> HttpResponse:
    rules = scoring.rules_in_force()
    fit = [r for r in rules.rules if r.attribute in FIT_ATTRIBUTES]
    engagement = [r for r in rules.rules if r.attribute not in FIT_ATTRIBUTES]
    context = {"rules": rules, "fit": fit, "engagement": engagement}
    return render(request, "funnel/scoring.html", context)
