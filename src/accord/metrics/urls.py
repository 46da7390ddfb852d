from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from accord.metrics import views

app_name = "metrics"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.scorecard, name="scorecard"),
    path("refresh", views.refresh, name="refresh"),
    path("definitions/", views.definitions, name="definitions"),
    path("definitions/propose", views.propose, name="propose"),
    path("definitions/<int:pk>/sign", views.sign, name="sign"),
]
