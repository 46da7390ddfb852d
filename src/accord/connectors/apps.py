from __future__ import annotations

from django.apps import AppConfig


class ConnectorsConfig(AppConfig):
    name = "accord.connectors"
    label = "connectors"
    default_auto_field = "django.db.models.BigAutoField"
