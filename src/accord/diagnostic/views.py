from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accord.diagnostic import context as climb
from accord.diagnostic import exports, queries, services
from accord.diagnostic.checklist import checklist_item_update, checklist_items
from accord.diagnostic.forms import AnswerForm, InviteForm, MoveAdoptForm, RoundForm
from accord.diagnostic.models import ChecklistItem, ChecklistStatus
from accord.directory.access import person_for_user
from accord.directory.models import Person


def _results_user(request: HttpRequest) -> None:
    if not queries.can_see_results(request.user):
        raise PermissionDenied("Survey results are for managers and revenue leaders.")


@login_required
def rounds(request: HttpRequest) -> HttpResponse:
    _results_user(request)
    found = list(queries.rounds_for_user(request.user))
    return render(
        request, "diagnostic/rounds.html", {"rounds": found, "trend": queries.trend(found)}
    )


@login_required
def trend(request: HttpRequest) -> HttpResponse:
    _results_user(request)
    measures = queries.trend_by_theme(list(queries.rounds_for_user(request.user)))
    return render(request, "diagnostic/trend.html", {"measures": measures})


@login_required
def trend_csv(request: HttpRequest) -> HttpResponse:
    _results_user(request)
    measures = queries.trend_by_theme(list(queries.rounds_for_user(request.user)))
    response = HttpResponse(exports.trend_csv(measures), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="alignment-trend.csv"'
    return response


@login_required
def round_new(request: HttpRequest) -> HttpResponse:
    _results_user(request)
    services.instruments_publish()  # the shipped instrument is always on offer
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        created = services.round_create(
            **form.cleaned_data, created_by=person_for_user(request.user)
        )
        messages.success(request, f"Round {created.name} created. Now choose who to invite.")
        return redirect("diagnostic:round_invite", pk=created.pk)
    return render(request, "diagnostic/round_new.html", {"form": form})


@login_required
def round_run(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = queries.round_get_for_user(request.user, pk)
    return render(request, "diagnostic/round_run.html", {"round": round_})


@login_required
def round_invite(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = queries.round_get_for_user(request.user, pk)
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            sent = services.round_invite(round=round_, people=queries.invitees(**form.cleaned_data))
        except services.SurveyError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _sent_message(len(sent)))
        return redirect("diagnostic:round_run", pk=pk)
    context = {"round": round_, "form": form, "directory": queries.invite_directory(round_)}
    return render(request, "diagnostic/round_invite.html", context)


def _sent_message(count: int) -> str:
    if count == 0:
        return "Everyone chosen was invited already: no invitation sent."
    return f"Sent {count} invitation{'s' if count != 1 else ''}."


@login_required
@require_POST
def round_remind(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = queries.round_get_for_user(request.user, pk)
    try:
        count = services.round_remind(round=round_)
    except services.SurveyError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Sent {count} reminder{'s' if count != 1 else ''}.")
    return redirect("diagnostic:round_run", pk=pk)


@login_required
@require_POST
def round_close(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = queries.round_get_for_user(request.user, pk)
    services.round_close(round=round_)
    messages.success(request, f"{round_.name} is closed: its links no longer take answers.")
    return redirect("diagnostic:round_run", pk=pk)


@login_required
def round_results(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = queries.round_get_for_user(request.user, pk)
    instrument = queries.round_instrument(round_)
    summary = queries.round_summary(round_)
    context = {
        "round": round_,
        "instrument": instrument,
        "summary": summary,
        "themes": queries.theme_rows(summary, instrument),
        "moves": queries.moves_for(summary, instrument),
        "people": Person.objects.filter(is_active=True).only("pk", "name"),
        "me": person_for_user(request.user),
        **_climb_context(summary.overall.type, request.GET.getlist("yes")),
    }
    return render(request, "diagnostic/results.html", context)


def _climb_context(current: str | None, yes: list[str]) -> dict[str, object]:
    if current is None:
        return {}
    return {
        "climb_questions": climb.CLIMB_WHEN.get(current, ()),
        "climb_yes": set(yes),
        "advice": climb.climb_advice(current, yes) if yes else None,
        "checklist": climb.INTEGRATION_CHECKLIST if current in ("aligned", "integrated") else (),
    }


@login_required
def round_export(request: HttpRequest, pk: int) -> JsonResponse:
    round_ = queries.round_get_for_user(request.user, pk)
    data = queries.round_summary(round_).as_dict()
    return JsonResponse({"round": round_.name, **data})


@login_required
@require_POST
def move_adopt(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = queries.round_get_for_user(request.user, pk)
    instrument = queries.round_instrument(round_)
    form = MoveAdoptForm(request.POST)
    if not form.is_valid() or form.cleaned_data["move"] >= len(instrument.moves):
        messages.error(request, "Choose a move and an owner.")
        return redirect("diagnostic:round", pk=pk)
    item = services.move_adopt(
        round=round_,
        move=instrument.moves[form.cleaned_data["move"]],
        owner=form.cleaned_data["owner"],
        created_by=person_for_user(request.user),
        due_on=form.cleaned_data["due_on"],
    )
    messages.success(request, f"Action item created for {item.owner}: {item.title}")
    return redirect("diagnostic:round", pk=pk)


def answer(request: HttpRequest, token: str) -> HttpResponse:
    """The questionnaire behind a single-use link: no login, one page."""
    try:
        invitation = services.invitation_for_token(token)
        services.invitation_check(invitation)
    except services.SurveyError as exc:
        return render(request, "diagnostic/refused.html", {"reason": str(exc)}, status=410)
    instrument = queries.round_instrument(invitation.round)
    form = AnswerForm(request.POST or None, instrument=instrument)
    if request.method == "POST" and form.is_valid():
        try:
            services.response_submit(
                token=token, answers=form.cleaned_data, comment=form.cleaned_data["comment"]
            )
        except services.SurveyError as exc:
            return render(request, "diagnostic/refused.html", {"reason": str(exc)}, status=410)
        return render(request, "diagnostic/thanks.html", {"round": invitation.round})
    context = {"form": form, "round": invitation.round, "instrument": instrument}
    return render(request, "diagnostic/answer.html", context)


@login_required
def checklist(request: HttpRequest) -> HttpResponse:
    _results_user(request)
    items = list(checklist_items())
    context = {
        "items": items,
        "done": sum(item.status == ChecklistStatus.DONE for item in items),
        "statuses": ChecklistStatus.choices,
        "people": Person.objects.filter(is_active=True).order_by("name"),
    }
    return render(request, "diagnostic/checklist.html", context)


@login_required
@require_POST
def checklist_item(request: HttpRequest, pk: int) -> HttpResponse:
    _results_user(request)
    item = get_object_or_404(ChecklistItem, pk=pk)
    owner_id = request.POST.get("owner", "")
    owner = (
        Person.objects.filter(pk=owner_id, is_active=True).first() if owner_id.isdigit() else None
    )
    try:
        checklist_item_update(
            item=item,
            status=request.POST.get("status", ""),
            owner=owner,
            note=request.POST.get("note", ""),
            by=person_for_user(request.user),
        )
        messages.success(request, f"Saved: {item.text}")
    except ValueError as exc:
        messages.error(request, str(exc))
    return redirect("diagnostic:checklist")
