from __future__ import annotations

from django.contrib import admin

from accord.directory.models import Person, Segment, Team, Territory, Topic


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "role", "team", "time_zone", "capacity", "is_active"]
    list_filter = ["role", "team", "is_active"]
    search_fields = ["name", "email", "title"]
    filter_horizontal = ["segments", "territories", "topics"]


admin.site.register(Team)
admin.site.register(Segment)
admin.site.register(Territory)
admin.site.register(Topic)
