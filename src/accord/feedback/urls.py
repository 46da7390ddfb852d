from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from accord.feedback import views

app_name = "feedback"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.index, name="index"),
    path("new/", views.new, name="new"),
    path("mine/", views.mine, name="mine"),
]
