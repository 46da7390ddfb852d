from __future__ import annotations

from django.apps import AppConfig


class FunnelConfig(AppConfig):
    name = "accord.funnel"
    label = "funnel"
    default_auto_field = "django.db.models.BigAutoField"
