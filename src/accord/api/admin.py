"""Tokens in the admin: the raw token is shown once, in the message after saving."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest

from accord.api import services
from accord.api.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["prefix", "person", "name", "created_at", "last_used_at", "revoked_at"]
    list_select_related = ["person"]
    readonly_fields = ["prefix", "created_at", "last_used_at"]
    fields = ["person", "name", "prefix", "created_at", "last_used_at", "revoked_at"]

    def save_model(self, request: HttpRequest, obj: ApiToken, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        token, raw = services.token_create(person=obj.person, name=obj.name)
        obj.pk, obj.prefix, obj.key_hash = token.pk, token.prefix, token.key_hash
        messages.warning(request, f"The new token is {raw} — copy it now; it is not shown again.")
