from django.contrib import admin

from events.models import Event, Registration, Speaker


class SpeakerInline(admin.TabularInline):
    model = Speaker
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "community", "kind", "starts_at", "status"]
    list_filter = ["kind", "status", "community"]
    search_fields = ["title"]
    raw_id_fields = ["organiser", "thread", "resources"]
    inlines = [SpeakerInline]
    readonly_fields = ["uid", "sequence", "html"]


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["event", "user", "status", "requested", "attended"]
    list_filter = ["status"]
    raw_id_fields = ["event", "user"]
