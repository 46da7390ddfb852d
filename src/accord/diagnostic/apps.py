from __future__ import annotations

from django.apps import AppConfig


class DiagnosticConfig(AppConfig):
    name = "accord.diagnostic"
    label = "diagnostic"
    default_auto_field = "django.db.models.BigAutoField"
