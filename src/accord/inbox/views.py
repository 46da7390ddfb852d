from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accord.directory import access
from accord.inbox import services
from accord.inbox.models import ActionItem, ActionItemStatus


def _item_for_user(request: HttpRequest, pk: int) -> ActionItem:
    item = access.action_items_for_user(request.user).filter(pk=pk).first()
    if item is None:
        raise Http404("No such action item, or it is not yours to see.")
    return item


@login_required
def index(request: HttpRequest) -> HttpResponse:
    notes = access.notifications_for_user(request.user)[:50]
    items = (
        access.action_items_for_user(request.user)
        .filter(status=ActionItemStatus.OPEN)
        .select_related("owner")
        .order_by("due_on", "id")[:100]
    )
    return render(request, "inbox/index.html", {"notifications": notes, "items": items})


@login_required
def action_item(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "inbox/action_item.html", {"item": _item_for_user(request, pk)})


@login_required
@require_POST
def action_item_close(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item_for_user(request, pk)
    me = access.person_for_user(request.user)
    if me is None or (item.owner_id != me.pk and not access.sees_everything(me)):
        raise Http404("Only the owner closes an action item.")
    status = request.POST.get("status", ActionItemStatus.DONE)
    try:
        services.action_item_close(item=item, status=status)
    except ValueError as exc:
        messages.error(request, str(exc))
    if request.htmx:
        return render(request, "inbox/action_item.html#row", {"item": item})
    return redirect("inbox:index")


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    me = access.person_for_user(request.user)
    if me is not None:
        services.notification_mark_read(recipient=me, notification_id=pk)
    return redirect("inbox:index")
