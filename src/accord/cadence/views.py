"""Pages for joint meetings: the list, one meeting with its agenda and items, minutes."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from accord.cadence import queries, services
from accord.cadence.forms import (
    ActionItemForm,
    ActionStatusForm,
    AgendaItemAddForm,
    AgendaItemForm,
    MeetingEditForm,
    MeetingForm,
    SeriesForm,
)
from accord.cadence.minutes import minutes_build, minutes_html, minutes_markdown
from accord.cadence.models import AgendaItem, Meeting
from accord.cadence.schedule import meeting_period, next_meeting_on
from accord.directory.access import person_for_user
from accord.directory.models import Person
from accord.pdf import PdfUnavailable, html_to_pdf

PLANNERS_ONLY = "Only managers of sales or marketing, and revenue leaders, plan meetings."


def _planner(request: HttpRequest) -> Person:
    person = person_for_user(request.user)
    if not queries.can_plan(person):
        raise PermissionDenied(PLANNERS_ONLY)
    assert person is not None
    return person


def form_error(form: forms.Form) -> str:
    """The first error in words, naming the field it is about."""
    for name, errors in form.errors.items():
        if name not in form.fields:
            return str(errors[0])
        label = form.fields[name].label or name.replace("_", " ")
        return f"{str(label).capitalize()}: {errors[0]}"
    return "Please check the form."


@login_required
@require_GET
def meeting_list(request: HttpRequest) -> HttpResponse:
    person = person_for_user(request.user)
    context = {
        "rows": queries.meeting_list(request.user),
        "can_plan": queries.can_plan(person),
        "has_series": queries.series_all().exists(),
    }
    return render(request, "cadence/meetings.html", context)


@login_required
def series_new(request: HttpRequest) -> HttpResponse:
    me = _planner(request)
    form = SeriesForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            series = services.series_create(created_by=me, **form.cleaned_data)
        except services.MeetingError as exc:
            form.add_error(exc.field, str(exc))
        else:
            messages.success(request, f"Series {series.name} created. Now plan its first meeting.")
            return redirect(f"{reverse('cadence:meeting_new')}?series={series.pk}")
    return render(request, "cadence/series_new.html", {"form": form})


def _new_meeting_initial(request: HttpRequest) -> dict[str, object]:
    """Planning "the next one" starts from the last meeting: same series, same people."""
    after = request.GET.get("after", "")
    if after.isdigit():
        last = queries.meeting_get_for_user(request.user, int(after))
        people = list(last.participants.all())
        return {"series": last.series, "held_on": next_meeting_on(last), "participants": people}
    series = request.GET.get("series", "")
    return {"series": int(series)} if series.isdigit() else {}


@login_required
def meeting_new(request: HttpRequest) -> HttpResponse:
    me = _planner(request)
    if not queries.series_all().exists():
        return redirect("cadence:series_new")
    form = MeetingForm(request.POST or None, initial=_new_meeting_initial(request))
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(created_by=me, **form.cleaned_data)
        except services.MeetingError as exc:
            form.add_error(exc.field, str(exc))
        else:
            points = meeting.agenda.count()
            drafted = f"{points} point{'s' if points != 1 else ''}" if points else "no points"
            messages.success(request, f"Meeting planned: the data put {drafted} on its agenda.")
            return redirect("cadence:meeting", meeting.pk)
    return render(request, "cadence/meeting_new.html", {"form": form})


def _meeting_context(request: HttpRequest, meeting: Meeting) -> dict[str, object]:
    me = person_for_user(request.user)
    return {
        "meeting": meeting,
        "me": me,
        "can_plan": queries.can_plan(me),
        "period": meeting_period(meeting),
        "sides": queries.participants_by_side(meeting),
        "agenda": queries.meeting_agenda(meeting),
        "items": queries.meeting_action_items(meeting),
        "carried": queries.carried_action_items(meeting),
        "next_on": next_meeting_on(meeting),
        "action_form": ActionItemForm(meeting=meeting),
        "edit_form": MeetingEditForm(
            initial={
                "held_on": meeting.held_on,
                "participants": list(meeting.participants.all()),
                "summary": meeting.summary,
            }
        ),
        "statuses": ActionStatusForm.base_fields["status"].choices,
    }


@login_required
@require_GET
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = queries.meeting_get_for_user(request.user, pk)
    return render(request, "cadence/meeting.html", _meeting_context(request, meeting))


@login_required
@require_POST
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _planner(request)
    meeting = queries.meeting_get_for_user(request.user, pk)
    form = MeetingEditForm(request.POST)
    if form.is_valid():
        try:
            services.meeting_update(meeting=meeting, **form.cleaned_data)
        except services.MeetingError as exc:
            form.add_error(exc.field, str(exc))
    if form.errors:
        context = {**_meeting_context(request, meeting), "edit_form": form, "edit_open": True}
        return render(request, "cadence/meeting.html", context, status=400)
    messages.success(request, "Meeting saved.")
    return redirect("cadence:meeting", meeting.pk)


def _agenda_response(
    request: HttpRequest, meeting: Meeting, error: str = "", status: int = 200
) -> HttpResponse:
    if request.htmx:
        context = {**_meeting_context(request, meeting), "agenda_error": error}
        return render(request, "cadence/meeting.html#agenda", context, status=status)
    if error:
        messages.error(request, error)
    return redirect("cadence:meeting", meeting.pk)


@login_required
@require_POST
def agenda_generate(request: HttpRequest, pk: int) -> HttpResponse:
    _planner(request)
    meeting = queries.meeting_get_for_user(request.user, pk)
    added = services.agenda_generate(meeting=meeting)
    if not request.htmx:
        messages.success(request, f"The data added {added} new point{'s' if added != 1 else ''}.")
    return _agenda_response(request, meeting)


@login_required
@require_POST
def agenda_add(request: HttpRequest, pk: int) -> HttpResponse:
    _planner(request)
    meeting = queries.meeting_get_for_user(request.user, pk)
    form = AgendaItemAddForm(request.POST)
    if not form.is_valid():
        return _agenda_response(request, meeting, form_error(form), status=400)
    services.agenda_item_add(meeting=meeting, **form.cleaned_data)
    return _agenda_response(request, meeting)


def _point(request: HttpRequest, pk: int) -> AgendaItem:
    _planner(request)
    return queries.agenda_item_get_for_user(request.user, pk)


@login_required
@require_POST
def agenda_item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    point = _point(request, pk)
    form = AgendaItemForm(request.POST)
    if not form.is_valid():
        return _agenda_response(request, point.meeting, form_error(form), status=400)
    services.agenda_item_update(item=point, **form.cleaned_data)
    return _agenda_response(request, point.meeting)


@login_required
@require_POST
def agenda_item_move(request: HttpRequest, pk: int) -> HttpResponse:
    point = _point(request, pk)
    services.agenda_item_move(item=point, up=request.POST.get("direction") == "up")
    return _agenda_response(request, point.meeting)


@login_required
@require_POST
def agenda_item_remove(request: HttpRequest, pk: int) -> HttpResponse:
    point = _point(request, pk)
    meeting = point.meeting
    services.agenda_item_remove(item=point)
    return _agenda_response(request, meeting)


@login_required
@require_POST
def action_item_add(request: HttpRequest, pk: int) -> HttpResponse:
    me = _planner(request)
    meeting = queries.meeting_get_for_user(request.user, pk)
    form = ActionItemForm(request.POST, meeting=meeting)
    if form.is_valid():
        try:
            item = services.meeting_action_item_create(
                meeting=meeting, created_by=me, **form.cleaned_data
            )
        except services.MeetingError as exc:
            form.add_error(exc.field, str(exc))
        else:
            messages.success(request, f"Action item for {item.owner.name}: {item.title}")
            return redirect("cadence:meeting", meeting.pk)
    context = {**_meeting_context(request, meeting), "action_form": form}
    return render(request, "cadence/meeting.html", context, status=400)


@login_required
@require_POST
def action_item_status(request: HttpRequest, pk: int) -> HttpResponse:
    item = queries.meeting_action_item_get_for_user(request.user, pk)
    if not queries.can_update_item(person_for_user(request.user), item):
        raise PermissionDenied("Only the owner of an action item, or a manager, updates it.")
    form = ActionStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_error(form))
    else:
        try:
            services.meeting_action_item_close(item=item, status=form.cleaned_data["status"])
        except services.MeetingError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"{item.title}: {form.cleaned_data['status']}.")
    return redirect("cadence:meeting", item.meeting_link.meeting_id)


def _file_name(meeting: Meeting, suffix: str) -> str:
    return f"minutes-{meeting.held_on:%Y-%m-%d}-{meeting.pk}.{suffix}"


@login_required
@require_GET
def minutes_md(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = queries.meeting_get_for_user(request.user, pk)
    text = minutes_markdown(minutes_build(meeting))
    response = HttpResponse(text, content_type="text/markdown; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_file_name(meeting, "md")}"'
    return response


@login_required
@require_GET
def minutes_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = queries.meeting_get_for_user(request.user, pk)
    try:
        pdf = html_to_pdf(minutes_html(minutes_build(meeting)))
    except PdfUnavailable as exc:
        context = {"meeting": meeting, "reason": str(exc)}
        return render(request, "cadence/pdf_unavailable.html", context, status=503)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_file_name(meeting, "pdf")}"'
    return response
