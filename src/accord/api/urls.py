from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from accord.api import views

app_name = "api"
urlpatterns: list[URLPattern | URLResolver] = [
    path("api/hooks/leads", views.lead_hook, name="lead-hook"),
]
