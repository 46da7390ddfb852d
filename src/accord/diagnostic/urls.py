from __future__ import annotations

from django.urls import path

from accord.diagnostic import views

app_name = "diagnostic"
urlpatterns = [
    path("", views.rounds, name="rounds"),
    path("trend/", views.trend, name="trend"),
    path("trend.csv", views.trend_csv, name="trend_csv"),
    path("rounds/new/", views.round_new, name="round_new"),
    path("rounds/<int:pk>/", views.round_results, name="round"),
    path("rounds/<int:pk>/run/", views.round_run, name="round_run"),
    path("rounds/<int:pk>/invite/", views.round_invite, name="round_invite"),
    path("rounds/<int:pk>/remind", views.round_remind, name="round_remind"),
    path("rounds/<int:pk>/close", views.round_close, name="round_close"),
    path("rounds/<int:pk>/results.json", views.round_export, name="round_export"),
    path("rounds/<int:pk>/moves", views.move_adopt, name="move_adopt"),
    path("answer/<str:token>/", views.answer, name="answer"),
    path("checklist/", views.checklist, name="checklist"),
    path("checklist/<int:pk>", views.checklist_item, name="checklist_item"),
]
