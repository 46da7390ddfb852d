"""The funnel pages: a rep's queue, a lead's history, marketing's view, the scorecard."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.views.decorators.http import require_POST

from accord.crm.choices import LeadStage, RejectionReason
from accord.crm.models import Lead
from accord.directory import access
from accord.directory.models import Person
from accord.directory.roles import MANAGER_ROLES, Role
from accord.funnel import (
    erasure,
    export,
    outbound,
    predictive,
    queries,
    rule_sets,
    scoring,
    services,
)
from accord.funnel.models import (
    FIT_ATTRIBUTES,
    Erasure,
    ErasureWhy,
    ScoringRuleSet,
    Side,
    StageDefinition,
)

STAGE_FORM_INCOMPLETE = "Choose a stage and write what it means."
SINCE_INVALID = "“Since” must be a date (2026-11-01) or a date and time (2026-11-01T09:30)."
RULES_PROPOSED = "Proposed. The rules change once a sales and a marketing manager have signed."
RULES_SIGNED = "Signed for your side; the other side's signature puts the rules in force."
RULES_IN_FORCE = "Signed by both sides: the new rules are in force and every open lead is rescored."
NO_CONTACT = "This lead has no contact, so it holds no personal data to erase."
ERASED_DONE = (
    "Erased: {fields} of the contact; {notes} notes, {forms} form records, "
    "{explanations} score explanations and {feedback} feedback notes on {leads} leads. "
    "The funnel keeps an anonymous trace."
)


def _me(request: HttpRequest) -> Person | None:
    return access.person_for_user(request.user)


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
    lead, me = access.lead_get_to_work(request.user, pk)
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
        "may_erase": erasure.may_erase(_me(request)) and lead.contact_id is not None,
        "erasures": Erasure.objects.filter(contact_id=lead.contact_id or 0),
        "erase_whys": ErasureWhy.choices,
    }
    return render(request, "funnel/history.html", context)


@login_required
@require_POST
def erase(request: HttpRequest, pk: int) -> HttpResponse:
    lead, me = access.lead_get_for_user(request.user, pk), _me(request)
    try:
        if me is None or not erasure.may_erase(me):
            raise erasure.ErasureError(erasure.ERASE_NOT_ALLOWED)
        if lead.contact is None:
            raise erasure.ErasureError(NO_CONTACT)
        done = erasure.contact_erase(
            contact=lead.contact,
            by=me,
            why=request.POST.get("why", ""),
            reference=request.POST.get("reference", ""),
        )
    except erasure.ErasureError as exc:
        messages.error(request, str(exc))
        return redirect("funnel:history", pk=pk)
    removed = done.removed
    messages.success(
        request,
        ERASED_DONE.format(
            fields=", ".join(removed["contact"]) or "nothing",
            notes=removed["event_notes"],
            forms=removed["form_details"],
            explanations=removed["score_explanations"],
            feedback=removed["feedback_notes"],
            leads=removed["leads"],
        ),
    )
    return redirect("funnel:history", pk=pk)


def _since(raw: str) -> datetime | None:
    """A date or date and time from a form; naive means UTC. Raises ValueError."""
    if not raw.strip():
        return None
    moment = parse_datetime(raw.strip())
    if moment is None:
        day = parse_date(raw.strip())
        if day is None:
            raise ValueError(SINCE_INVALID)
        moment = datetime.combine(day, time(0), tzinfo=UTC)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@login_required
def changes(request: HttpRequest) -> HttpResponse:
    """The CRM hand-back: download changes as CSV; how the outbound webhook is doing."""
    context = {"outbox": queries.crm_outbox_state(), "target": outbound.crm_target()}
    return render(request, "funnel/changes.html", context)


@login_required
def changes_csv(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    try:
        since = _since(request.GET.get("since", ""))
    except ValueError as exc:
        return HttpResponseBadRequest(str(exc), content_type="text/plain; charset=utf-8")
    events = export.lead_changes(access.leads_for_user(request.user), since=since)
    response = StreamingHttpResponse(
        export.lead_changes_csv(events), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="lead-changes.csv"'
    return response


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


def _scoring_page(
    request: HttpRequest, *, form: dict[str, str] | None = None, problems: list[str] | None = None
) -> HttpResponse:
    me, rules = _me(request), scoring.rules_in_force()
    fit = [r for r in rules.rules if r.attribute in FIT_ATTRIBUTES]
    engagement = [r for r in rules.rules if r.attribute not in FIT_ATTRIBUTES]
    pending = rule_sets.rule_set_pending()
    signing_side = me and services.SIGNING_SIDE.get(Role(me.role))
    context = {
        "rules": rules,
        "fit": fit,
        "engagement": engagement,
        "pending": pending,
        "pending_rules": pending and scoring.rules_of(pending),
        "may_sign": bool(
            pending and signing_side and getattr(pending, f"{signing_side}_signed_at") is None
        ),
        "signing_side": signing_side,
        "may_propose": me is not None and Role(me.role) in MANAGER_ROLES,
        "form": form or _scoring_form(rules),
        "problems": problems or [],
    }
    return render(request, "funnel/scoring.html", context, status=400 if problems else 200)


def _scoring_form(rules: scoring.Rules) -> dict[str, str]:
    return {
        "rules": rule_sets.rules_as_text(rules.rules),
        "mql_threshold": str(rules.mql_threshold),
        "half_life_days": f"{rules.half_life_days:g}",
        "recycle_points": str(rules.recycle_points),
        "note": "",
    }


@login_required
def scoring_rules(request: HttpRequest) -> HttpResponse:
    return _scoring_page(request)


@login_required
@require_POST
def scoring_propose(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    form = {name: request.POST.get(name, "") for name in _scoring_form(scoring.DEFAULT_RULES)}
    if me is None or Role(me.role) not in MANAGER_ROLES:
        messages.error(request, rule_sets.PROPOSE_NOT_ALLOWED)
        return redirect("funnel:scoring")
    try:
        proposal = rule_sets.proposal_parse(
            text=form["rules"],
            mql_threshold=form["mql_threshold"],
            half_life_days=form["half_life_days"],
            recycle_points=form["recycle_points"],
        )
        rule_sets.rule_set_propose(proposal=proposal, by=me, note=form["note"])
    except rule_sets.RuleSetError as exc:
        return _scoring_page(request, form=form, problems=exc.problems)
    messages.success(request, RULES_PROPOSED)
    return redirect("funnel:scoring")


@login_required
@require_POST
def scoring_sign(request: HttpRequest, pk: int) -> HttpResponse:
    me = _me(request)
    rule_set = get_object_or_404(ScoringRuleSet, pk=pk)
    try:
        if me is None:
            raise rule_sets.RuleSetError([rule_sets.SIGN_NEEDS_MANAGER])
        signed = rule_sets.rule_set_sign(rule_set=rule_set, by=me)
    except rule_sets.RuleSetError as exc:
        messages.error(request, str(exc))
        return redirect("funnel:scoring")
    messages.success(request, RULES_IN_FORCE if signed.in_force_from else RULES_SIGNED)
    return redirect("funnel:scoring")
