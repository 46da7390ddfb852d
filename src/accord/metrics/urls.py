from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from accord.metrics import target_views, views

app_name = "metrics"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.scorecard, name="scorecard"),
    path("refresh", views.refresh, name="refresh"),
    path("definitions/", views.definitions, name="definitions"),
    path("definitions/propose", views.propose, name="propose"),
    path("definitions/<int:pk>/sign", views.sign, name="sign"),
    path("targets/", target_views.targets, name="targets"),
    path("targets/set", target_views.target_save, name="target_set"),
    path("targets/commit", target_views.waterfall_commit, name="waterfall_commit"),
]
