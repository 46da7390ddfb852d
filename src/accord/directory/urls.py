from __future__ import annotations

from django.urls import path

from accord.directory import views

app_name = "directory"
urlpatterns = [path("", views.who_to_call, name="who_to_call")]
