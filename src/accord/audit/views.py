from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accord.audit.actions import ACTIONS
from accord.audit.queries import PAGE_SIZE, audit_entries_for_user


@login_required
@require_GET
def log(request: HttpRequest) -> HttpResponse:
    action = request.GET.get("action", "")
    action = action if action in ACTIONS else ""
    entries = audit_entries_for_user(request.user, action=action)[:PAGE_SIZE]
    rows = [(entry, _label(entry.action)) for entry in entries]
    context = {"rows": rows, "actions": ACTIONS, "chosen": action, "page_size": PAGE_SIZE}
    return render(request, "audit/log.html", context)


def _label(action: str) -> str:
    kind = ACTIONS.get(action)
    return kind.label if kind else action
