from __future__ import annotations

from django.urls import path

from accord.inbox import views

app_name = "inbox"
urlpatterns = [
    path("", views.index, name="index"),
    path("action-items/<int:pk>/", views.action_item, name="action_item"),
    path("action-items/<int:pk>/close", views.action_item_close, name="action_item_close"),
    path("notifications/<int:pk>/read", views.notification_read, name="notification_read"),
]
