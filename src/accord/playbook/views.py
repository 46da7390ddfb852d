"""Playbook pages: parse, call the services, render. Refusals come back as messages."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accord.crm.models import Account
from accord.directory.access import person_for_user
from accord.directory.models import Person
from accord.playbook import collateral as workflow
from accord.playbook import forms, queries
from accord.playbook.access import (
    can_edit_plan,
    collateral_get_for_user,
    is_manager,
    is_marketing,
    is_sales,
    plan_get_for_user,
    plans_for_user,
)
from accord.playbook.engine import RuleBlocked
from accord.playbook.launches import (
    LaunchError,
    launch_announce,
    launch_create,
    launch_point_set,
)
from accord.playbook.models import (
    CollateralState,
    ContentGap,
    FiringOutcome,
    GapStatus,
    Launch,
    LaunchChecklistItem,
    Rule,
    RuleFiring,
)
from accord.playbook.plans import (
    PlanError,
    override_set,
    plan_review_schedule,
    plan_start,
    plan_update,
)
from accord.playbook.rules import (
    NOT_A_RULE_EDITOR,
    RuleInvalid,
    approval_grant,
    can_edit_rules,
    default_rules_install,
    rule_save,
    rule_set_active,
)
from accord.playbook.selection import TOP_N

REFUSALS = (
    workflow.CollateralError,
    LaunchError,
    PlanError,
    RuleBlocked,
    PermissionError,
)


def person_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Log in, and be a person in the directory: ``request.person`` is then set."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        person = person_for_user(request.user)
        if person is None:
            raise PermissionDenied("Your login is not linked to a person in the directory.")
        request.person = person  # type: ignore[attr-defined]
        return view(request, *args, **kwargs)

    return wrapper


def _attempt(request: HttpRequest, call: Callable[[], object], done: str) -> bool:
    """Run a service call; say what happened. True when it went through."""
    try:
        call()
    except REFUSALS as exc:
        messages.error(request, str(exc))
        return False
    messages.success(request, done)
    return True


# Rules of engagement


@person_required
def rules(request: HttpRequest) -> HttpResponse:
    default_rules_install()
    context = {
        "rows": queries.rule_rows(),
        "firings": queries.firings_recent(request.user, limit=15),
        "can_edit": can_edit_rules(request.person),
        "can_approve": can_edit_rules(request.person),
    }
    return render(request, "playbook/rules.html", context)


@person_required
def firings(request: HttpRequest) -> HttpResponse:
    """The log; a manager's POST with ``approve`` gives a blocked change the go-ahead."""
    if request.method == "POST":
        return _approve(request)
    object_ref, outcome = request.GET.get("object", ""), request.GET.get("outcome", "")
    context = {
        "can_approve": can_edit_rules(request.person),
        "firings": queries.firings_recent(
            request.user, object_ref=object_ref, outcome=outcome, limit=200
        ),
        "outcomes": FiringOutcome.choices,
        "outcome": outcome,
        "object_ref": object_ref,
    }
    return render(request, "playbook/firings.html", context)


def _approve(request: HttpRequest) -> HttpResponse:
    raw = request.POST.get("approve", "")
    firing = get_object_or_404(
        RuleFiring.objects.select_related("rule"), pk=int(raw) if raw.isdigit() else 0
    )
    try:
        _, created = approval_grant(firing=firing, by=request.person)
    except (PermissionError, ValueError) as exc:
        messages.error(request, str(exc))
    else:
        done = "Approved" if created else "Already approved"
        messages.success(request, f"{done}: {firing.object_label}. The change can go ahead now.")
    return redirect(f"{reverse('playbook:firings')}?object={firing.object_type}-{firing.object_id}")


def _rule_editor(request: HttpRequest) -> Person:
    if not can_edit_rules(request.person):  # type: ignore[attr-defined]
        raise PermissionDenied(NOT_A_RULE_EDITOR)
    return request.person  # type: ignore[attr-defined]


@person_required
def rule_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    editor = _rule_editor(request)
    rule = get_object_or_404(Rule, pk=pk) if pk else None
    form = forms.RuleForm(request.POST) if request.method == "POST" else None
    if form is None:
        form = forms.RuleForm.for_rule(rule) if rule else forms.RuleForm()
    if request.method == "POST" and form.is_valid():
        try:
            saved = rule_save(by=editor, rule=rule, **form.rule_data())
        except RuleInvalid as exc:
            for name, message in exc.errors.items():
                form.add_error(name if name in form.fields else None, message)
        else:
            messages.success(request, f"Saved the rule: {saved.statement}")
            return redirect("playbook:rules")
    return render(request, "playbook/rule_form.html", {"form": form, "rule": rule})


@person_required
@require_POST
def rule_active(request: HttpRequest, pk: int) -> HttpResponse:
    editor = _rule_editor(request)
    rule = get_object_or_404(Rule, pk=pk)
    active = request.POST.get("active") == "1"
    rule_set_active(rule=rule, active=active, by=editor)
    messages.success(request, f"{'Switched on' if active else 'Switched off'}: {rule.statement}")
    return redirect("playbook:rules")


# Collateral


@person_required
def library(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", "")
    state = state if state in CollateralState.values else ""
    context = {
        "pieces": queries.library(request.user, state=state),
        "states": CollateralState.choices,
        "state": state,
        "can_add": is_marketing(request.person) or is_manager(request.person),
    }
    return render(request, "playbook/library.html", context)


@person_required
def collateral_new(request: HttpRequest) -> HttpResponse:
    form = forms.CollateralForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            piece = workflow.collateral_create(by=request.person, **form.cleaned_data)
        except workflow.CollateralError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Added {piece.title} as a draft.")
            return redirect("playbook:collateral", pk=piece.pk)
    return render(request, "playbook/collateral_new.html", {"form": form})


def _collateral_context(request: HttpRequest, pk: int) -> dict[str, Any]:
    piece = collateral_get_for_user(request.user, pk)
    return {
        "piece": piece,
        "steps": queries.steps_for(request.person, piece),
        "note_form": forms.NoteForm(),
        "rating_form": forms.RatingForm(),
        "can_rate": is_sales(request.person),
        **queries.collateral_facts(piece, request.person),
    }


@person_required
def collateral(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "playbook/collateral.html", _collateral_context(request, pk))


@person_required
@require_POST
def collateral_move(request: HttpRequest, pk: int) -> HttpResponse:
    piece = collateral_get_for_user(request.user, pk)
    to_state = request.POST.get("to", "")
    _attempt(
        request,
        lambda: workflow.collateral_move(
            collateral=piece,
            to_state=to_state,
            by=request.person,
            note=request.POST.get("note", ""),
        ),
        f"{piece.title}: {workflow.step_label(piece.state, to_state)} done.",
    )
    return redirect("playbook:collateral", pk=pk)


@person_required
@require_POST
def collateral_comment(request: HttpRequest, pk: int) -> HttpResponse:
    piece = collateral_get_for_user(request.user, pk)
    body = request.POST.get("body", "")
    _attempt(
        request,
        lambda: workflow.collateral_comment(collateral=piece, by=request.person, body=body),
        "Comment added.",
    )
    return redirect("playbook:collateral", pk=pk)


@person_required
@require_POST
def collateral_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    """A rating or a "used it" click; htmx swaps just the feedback box."""
    piece = collateral_get_for_user(request.user, pk)
    if "stars" in request.POST:
        form = forms.RatingForm(request.POST)
        if form.is_valid():
            stars = form.cleaned_data["stars"]
            _attempt(
                request,
                lambda: workflow.collateral_rate(collateral=piece, by=request.person, stars=stars),
                f"Rated {stars} of 5.",
            )
        else:
            messages.error(request, workflow.STARS_RANGE)
    else:
        _attempt(
            request,
            lambda: workflow.collateral_use(collateral=piece, by=request.person),
            "Counted: you used it today.",
        )
    if request.htmx:
        return render(
            request, "playbook/collateral.html#feedback", _collateral_context(request, pk)
        )
    return redirect("playbook:collateral", pk=pk)


@person_required
def gaps(request: HttpRequest) -> HttpResponse:
    form = forms.GapForm(request.POST or None)
    sent = (
        request.method == "POST"
        and form.is_valid()
        and _attempt(
            request,
            lambda: workflow.gap_request(by=request.person, **form.cleaned_data),
            "Request sent to marketing.",
        )
    )
    if sent:
        return redirect("playbook:gaps")
    context = {
        "gaps": queries.gaps(),
        "form": form,
        "close_form": forms.GapCloseForm(),
        "can_pick": is_marketing(request.person) or is_manager(request.person),
    }
    return render(request, "playbook/gaps.html", context)


@person_required
@require_POST
def gap_pick(request: HttpRequest, pk: int) -> HttpResponse:
    gap = get_object_or_404(ContentGap, pk=pk)
    _attempt(
        request, lambda: workflow.gap_pick(gap=gap, by=request.person), f"Picked up: {gap.title}"
    )
    return redirect("playbook:gaps")


@person_required
@require_POST
def gap_close(request: HttpRequest, pk: int) -> HttpResponse:
    gap = get_object_or_404(ContentGap, pk=pk, status=GapStatus.PICKED_UP)
    form = forms.GapCloseForm(request.POST)
    if not form.is_valid():
        messages.error(request, workflow.RESOLUTION_NEEDED)
        return redirect("playbook:gaps")
    _attempt(
        request,
        lambda: workflow.gap_close(gap=gap, by=request.person, **form.cleaned_data),
        f"Closed: {gap.title}",
    )
    return redirect("playbook:gaps")


# Launches


@person_required
def launches(request: HttpRequest) -> HttpResponse:
    form = forms.LaunchForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            launch = launch_create(by=request.person, **form.cleaned_data)
        except LaunchError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Planned {launch.name} with its readiness checklist.")
            return redirect("playbook:launch", pk=launch.pk)
    context = {
        "launches": queries.launches(),
        "form": form,
        "can_plan": is_marketing(request.person) or is_manager(request.person),
    }
    return render(request, "playbook/launches.html", context)


@person_required
def launch(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Launch.objects.select_related("owner"), pk=pk)
    context = {
        "launch": found,
        "points": found.checklist.select_related("done_by"),
        "firings": queries.firings_recent(request.user, object_ref=f"launch-{pk}", limit=20),
        "can_announce": is_marketing(request.person) or is_manager(request.person),
    }
    return render(request, "playbook/launch.html", context)


@person_required
@require_POST
def launch_point(request: HttpRequest, pk: int) -> HttpResponse:
    point = get_object_or_404(LaunchChecklistItem.objects.select_related("launch"), pk=pk)
    done = request.POST.get("done") == "1"
    _attempt(
        request,
        lambda: launch_point_set(point=point, done=done, by=request.person),
        f"{'Done' if done else 'Reopened'}: {point.text}",
    )
    return redirect("playbook:launch", pk=point.launch_id)


@person_required
@require_POST
def launch_announce_view(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Launch, pk=pk)
    _attempt(
        request,
        lambda: launch_announce(launch=found, by=request.person),
        f"Announced {found.name}.",
    )
    return redirect("playbook:launch", pk=pk)


# Key accounts and their plans


@person_required
def accounts(request: HttpRequest) -> HttpResponse:
    top = request.GET.get("top", "")
    top_n = int(top) if top.isdigit() and 1 <= int(top) <= 50 else TOP_N
    context = {
        "board": queries.key_account_board(request.user, top=top_n),
        "top": top_n,
        "is_manager": is_manager(request.person),
        "kept_out": queries.kept_out(),
        "plans": plans_for_user(request.user),
    }
    return render(request, "playbook/accounts.html", context)


@person_required
@require_POST
def account_pin(request: HttpRequest) -> HttpResponse:
    name = request.POST.get("name", "").strip()
    found = list(Account.objects.filter(name__icontains=name)[:2]) if name else []
    if len(found) != 1:
        problem = "No account has that name." if not found else "Several accounts match; type more."
        messages.error(request, problem)
        return redirect("playbook:accounts")
    account = found[0]
    _attempt(
        request,
        lambda: override_set(account=account, include=True, by=request.person),
        f"Pinned: {account.name}",
    )
    return redirect("playbook:accounts")


OVERRIDES = {"pin": True, "out": False, "clear": None}


@person_required
@require_POST
def account_override(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_object_or_404(Account, pk=pk)
    choice = request.POST.get("choice", "")
    if choice not in OVERRIDES:
        messages.error(request, "Choose pin, keep out or back to the data's choice.")
        return redirect("playbook:accounts")
    words = {"pin": "Pinned", "out": "Kept out", "clear": "Back to the data's choice"}
    _attempt(
        request,
        lambda: override_set(account=account, include=OVERRIDES[choice], by=request.person),
        f"{words[choice]}: {account.name}",
    )
    return redirect("playbook:accounts")


@person_required
@require_POST
def plan_new(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_object_or_404(Account.objects.select_related("segment", "owner"), pk=pk)
    if not (is_manager(request.person) or account.owner_id == request.person.pk):
        raise PermissionDenied("The account owner or a manager starts its plan.")
    plan = plan_start(account=account, by=request.person)
    return redirect("playbook:plan", pk=plan.pk)


@person_required
def plan(request: HttpRequest, pk: int) -> HttpResponse:
    found = plan_get_for_user(request.user, pk)
    editable = can_edit_plan(request.person, found)
    initial = {
        "rep_owner": found.rep_owner_id,
        "marketer_owner": found.marketer_owner_id,
        "marketers": list(found.marketers.values_list("pk", flat=True)),
        **{name: getattr(found, name) for name in ("status", "goals", "plays", "next_steps")},
    }
    form = forms.PlanForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if not editable:
            raise PermissionDenied("You can read this plan; its owners and managers change it.")
        if form.is_valid():
            data = dict(form.cleaned_data)
            marketers = list(data.pop("marketers"))
            if _attempt(
                request,
                lambda: plan_update(plan=found, by=request.person, marketers=marketers, **data),
                "Plan saved.",
            ):
                return redirect("playbook:plan", pk=pk)
    context = {
        "plan": found,
        "form": form,
        "review_form": forms.ReviewForm(initial={"on": found.next_review_on}),
        "editable": editable,
        "firings": queries.firings_recent(
            request.user, object_ref=f"account-{found.account_id}", limit=20
        ),
    }
    return render(request, "playbook/plan.html", context)


@person_required
@require_POST
def plan_review(request: HttpRequest, pk: int) -> HttpResponse:
    found = plan_get_for_user(request.user, pk)
    form = forms.ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give the review a date.")
        return redirect("playbook:plan", pk=pk)
    on = form.cleaned_data["on"]
    _attempt(
        request,
        lambda: plan_review_schedule(plan=found, on=on, by=request.person),
        f"Review scheduled for {on:%d %b %Y}; the rules invited whom they name.",
    )
    return redirect("playbook:plan", pk=pk)
