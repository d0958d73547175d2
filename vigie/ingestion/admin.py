from django.contrib import admin

from vigie.ingestion.models import Channel, RawEvent


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin):
    list_display = ["name", "platform", "external_id", "status", "last_event_at"]
    exclude = ["credentials"]  # tokens are typed on the channels page, never shown back


@admin.register(RawEvent)
class RawEventAdmin(admin.ModelAdmin):
    list_display = ["id", "source", "platform", "status", "received_at", "error"]
    list_filter = ["status", "source", "platform"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
