from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from accord.funnel import views

app_name = "funnel"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.queue, name="queue"),
    path("leads/<int:pk>/", views.history, name="history"),
    path("leads/<int:pk>/accept", views.accept, name="accept"),
    path("leads/<int:pk>/reject", views.reject, name="reject"),
    path("leads/<int:pk>/contacted", views.contacted, name="contacted"),
    path("leads/<int:pk>/erase", views.erase, name="erase"),
    path("changes/", views.changes, name="changes"),
    path("changes.csv", views.changes_csv, name="changes_csv"),
    path("mqls/", views.mql_outcomes, name="mqls"),
    path("scorecard/", views.scorecard, name="scorecard"),
    path("scoring/", views.scoring_rules, name="scoring"),
    path("scoring/propose", views.scoring_propose, name="scoring_propose"),
    path("scoring/<int:pk>/sign", views.scoring_sign, name="scoring_sign"),
    path("stages/", views.stages, name="stages"),
    path("stages/propose", views.stage_propose, name="stage_propose"),
    path("stages/<int:pk>/sign", views.stage_sign, name="stage_sign"),
]
