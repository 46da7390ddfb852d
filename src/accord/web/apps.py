from __future__ import annotations

from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "accord.web"
    label = "web"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from accord.metrics.tasks import WARMERS
        from accord.web.cockpit import cockpit_warm

        if cockpit_warm not in WARMERS:
            WARMERS.append(cockpit_warm)
