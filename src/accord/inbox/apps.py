from __future__ import annotations

from django.apps import AppConfig


class InboxConfig(AppConfig):
    name = "accord.inbox"
    label = "inbox"
    default_auto_field = "django.db.models.BigAutoField"
