from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone

from accord.web.queries import home_for_user


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request, "web/home.html", {"home": home_for_user(request.user), "now": timezone.now()}
    )


def health(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})
