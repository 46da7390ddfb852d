from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from accord.cadence import views

app_name = "cadence"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.meeting_list, name="meetings"),
    path("series/new", views.series_new, name="series_new"),
    path("new", views.meeting_new, name="meeting_new"),
    path("<int:pk>/", views.meeting_detail, name="meeting"),
    path("<int:pk>/edit", views.meeting_edit, name="meeting_edit"),
    path("<int:pk>/agenda/generate", views.agenda_generate, name="agenda_generate"),
    path("<int:pk>/agenda/add", views.agenda_add, name="agenda_add"),
    path("agenda/<int:pk>/edit", views.agenda_item_edit, name="agenda_item_edit"),
    path("agenda/<int:pk>/move", views.agenda_item_move, name="agenda_item_move"),
    path("agenda/<int:pk>/remove", views.agenda_item_remove, name="agenda_item_remove"),
    path("<int:pk>/action-items/add", views.action_item_add, name="action_item_add"),
    path("action-items/<int:pk>/status", views.action_item_status, name="action_item_status"),
    path("<int:pk>/minutes.md", views.minutes_md, name="minutes_md"),
    path("<int:pk>/minutes.pdf", views.minutes_pdf, name="minutes_pdf"),
]
