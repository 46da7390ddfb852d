"""Admin for the funnel's agreed terms.

Holidays, SLA terms and MQL commitments are edited here. Rule sets, stage
definitions, SLA marks, the CRM outbox and erasure records are shown
read-only: publishing rules must rescore leads, stage wordings need both
signatures, and the outbox and erasures are written only by their services.
"""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from accord.funnel.models import (
    CrmUpdate,
    Erasure,
    Holiday,
    MqlCommitment,
    ScoringRule,
    ScoringRuleSet,
    SlaMark,
    SlaPolicy,
    StageDefinition,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    list_display = ["day", "country", "name"]
    list_filter = ["country"]


@admin.register(SlaPolicy)
class SlaPolicyAdmin(admin.ModelAdmin):
    list_display = ["segment", "accept_hours", "contact_hours", "warn_before_minutes"]


@admin.register(MqlCommitment)
class MqlCommitmentAdmin(admin.ModelAdmin):
    list_display = ["month", "segment", "mqls"]
    list_filter = ["segment"]


class ScoringRuleInline(admin.TabularInline):
    model = ScoringRule
    extra = 0
    can_delete = False
    readonly_fields = ["attribute", "value", "minimum", "maximum", "points"]

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(ScoringRuleSet)
class ScoringRuleSetAdmin(ReadOnlyAdmin):
    list_display = ["version", "mql_threshold", "half_life_days", "published_by", "in_force_from"]
    inlines = [ScoringRuleInline]


@admin.register(StageDefinition)
class StageDefinitionAdmin(ReadOnlyAdmin):
    list_display = ["stage", "version", "owner_side", "in_force_from"]
    list_filter = ["stage"]


@admin.register(SlaMark)
class SlaMarkAdmin(ReadOnlyAdmin):
    list_display = ["lead", "clock", "kind", "due_at", "marked_at"]
    list_filter = ["clock", "kind"]


@admin.register(CrmUpdate)
class CrmUpdateAdmin(ReadOnlyAdmin):
    list_display = ["event_id", "lead", "created_at", "attempts", "delivered_at", "last_error"]
    list_filter = ["delivered_at"]


@admin.register(Erasure)
class ErasureAdmin(ReadOnlyAdmin):
    list_display = ["erased_at", "erased_by", "why", "reference", "contact"]
