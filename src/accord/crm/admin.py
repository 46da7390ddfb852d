from __future__ import annotations

from django.contrib import admin

from accord.crm import models


@admin.register(models.Account)
class AccountAdmin(admin.ModelAdmin):
    list_display = ["name", "domain", "segment", "owner", "source", "external_id"]
    search_fields = ["name", "domain", "external_id"]
    list_filter = ["segment", "source"]
    raw_id_fields = ["owner"]


@admin.register(models.Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ["email", "first_name", "last_name", "account", "source"]
    search_fields = ["email", "last_name"]
    raw_id_fields = ["account"]


@admin.register(models.Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["name", "channel", "starts_on", "owner"]
    list_filter = ["channel"]
    search_fields = ["name"]


@admin.register(models.Opportunity)
class OpportunityAdmin(admin.ModelAdmin):
    list_display = ["name", "account", "stage", "amount", "currency", "is_won", "owner"]
    list_filter = ["is_closed", "is_won"]
    search_fields = ["name", "external_id"]
    raw_id_fields = ["account", "owner", "campaign"]


@admin.register(models.Lead)
class LeadAdmin(admin.ModelAdmin):
    list_display = ["pk", "contact", "stage", "owner", "score", "created_at"]
    list_filter = ["stage"]
    raw_id_fields = ["contact", "account", "owner", "campaign", "converted_opportunity"]


admin.site.register(models.Company)
admin.site.register(models.ExchangeRate)
admin.site.register(models.Spend)


@admin.register(models.SourceUser)
class SourceUserAdmin(admin.ModelAdmin):
    list_display = ["source", "external_id", "person"]
    list_filter = ["source"]
    search_fields = ["external_id", "person__name", "person__email"]
    raw_id_fields = ["person"]
