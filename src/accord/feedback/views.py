"""Pages for field feedback: the one-minute form, your notes, the monthly digest."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from accord.directory.access import person_for_user
from accord.feedback.digest import digest_for_user
from accord.feedback.forms import FeedbackForm
from accord.feedback.models import Feedback
from accord.feedback.queries import reads_digest
from accord.feedback.services import FeedbackError, feedback_record

PAGE_SIZE = 25


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """Marketing and managers land on the digest; a rep lands on their own notes."""
    if not reads_digest(person_for_user(request.user)):
        return redirect("feedback:mine")
    month = _month(request)
    digest = digest_for_user(request.user, month)
    return render(request, "feedback/digest.html", {"digest": digest})


@login_required
def new(request: HttpRequest) -> HttpResponse:
    author = person_for_user(request.user)
    if author is None:
        raise PermissionDenied("Only people in the directory can leave feedback.")
    initial = {"about": request.GET.get("about", "")}
    form = FeedbackForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        assert form.target is not None
        try:
            _, created = feedback_record(
                author=author, target=form.target, note=form.note, key=form.cleaned_data["key"]
            )
        except FeedbackError as exc:
            form.add_error(None, str(exc))
        else:
            text = "Thanks, saved." if created else "Already saved; nothing was added twice."
            messages.success(request, f"{text} Add another, or see your notes.")
            return redirect("feedback:new")
    return render(request, "feedback/new.html", {"form": form})


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    person = person_for_user(request.user)
    notes = (
        Feedback.objects.filter(author=person)
        .select_related("account", "opportunity", "lead")
        .order_by("-noted_at", "-pk")
        if person
        else Feedback.objects.none()
    )
    page = Paginator(notes, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "feedback/mine.html",
        {"page": page, "reads_digest": reads_digest(person)},
    )


def _month(request: HttpRequest) -> date | None:
    raw = request.GET.get("month", "")
    if not raw:
        return None
    try:
        return date.fromisoformat(f"{raw}-01")
    except ValueError:
        messages.error(request, f"{raw!r} is not a month like 2026-10; showing the latest.")
        return None
