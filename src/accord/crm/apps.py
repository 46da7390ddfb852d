from __future__ import annotations

from django.apps import AppConfig


class CrmConfig(AppConfig):
    name = "accord.crm"
    label = "crm"
    default_auto_field = "django.db.models.BigAutoField"
