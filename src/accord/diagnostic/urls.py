from __future__ import annotations

from django.urls import URLPattern, URLResolver

app_name = "diagnostic"
urlpatterns: list[URLPattern | URLResolver] = []
