from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accord.directory import access, queries
from accord.directory.models import Segment
from accord.directory.roles import ROLE_INFO

NOT_IN_DIRECTORY = "Only people in the directory can look up colleagues."


@login_required
def who_to_call(request: HttpRequest) -> HttpResponse:
    if not access.sees_directory(request.user):
        raise PermissionDenied(NOT_IN_DIRECTORY)
    query = request.GET.get("q", "")[:100]
    role = request.GET.get("role", "")[:40]
    segment = request.GET.get("segment", "")[:80]
    context = {
        "query": query,
        "role": role,
        "segment": segment,
        "people": queries.people_search(query=query, role=role, segment=segment),
        "accounts": queries.accounts_matching(query),
        "roles": [(r.value, info.label) for r, info in ROLE_INFO.items()],
        "segments": Segment.objects.all(),
        "liaisons": queries.segment_liaisons(),
    }
    template = "directory/who_to_call.html"
    if request.htmx:
        template += "#results"
    return render(request, template, context)
