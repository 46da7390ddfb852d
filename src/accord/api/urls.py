from __future__ import annotations

from django.urls import URLPattern, URLResolver, path, re_path

from accord.api import docs, views
from accord.api.v1 import api

app_name = "api"
urlpatterns: list[URLPattern | URLResolver] = [
    path("api/hooks/leads", views.lead_hook, name="lead-hook"),
    path("api/v1/docs/assets/<str:name>", docs.docs_asset, name="docs-asset"),
    path("api/v1/", api.urls),
    re_path(r"^api/v1/", views.not_found, name="not-found"),
]
