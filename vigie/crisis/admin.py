"""Read-only lists for admins: decisions are made in the crisis room (audited), not here."""

from django.contrib import admin

from vigie.crisis.models import AlertDelivery, Crisis


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Crisis)
class CrisisAdmin(ReadOnly):
    list_display = ["pk", "signal", "status", "platform", "detected_at", "demo"]
    list_filter = ["signal", "status", "demo"]


@admin.register(AlertDelivery)
class AlertDeliveryAdmin(ReadOnly):
    list_display = ["pk", "crisis", "channel", "recipient", "status", "attempts", "error"]
    list_filter = ["channel", "status"]
