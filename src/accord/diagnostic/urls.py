from __future__ import annotations

from django.urls import path

from accord.diagnostic import views

app_name = "diagnostic"
urlpatterns = [
    path("", views.rounds, name="rounds"),
    path("rounds/<int:pk>/", views.round_results, name="round"),
    path("rounds/<int:pk>/results.json", views.round_export, name="round_export"),
    path("rounds/<int:pk>/moves", views.move_adopt, name="move_adopt"),
    path("answer/<str:token>/", views.answer, name="answer"),
]
