from __future__ import annotations

from django.apps import AppConfig


class CadenceConfig(AppConfig):
    name = "accord.cadence"
    label = "cadence"
    default_auto_field = "django.db.models.BigAutoField"
