from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from accord.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the admin can look but never add, change or delete."""

    list_display = ("at", "action", "actor_name", "target", "ip")
    list_filter = ("action",)
    search_fields = ("actor_name", "target")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
