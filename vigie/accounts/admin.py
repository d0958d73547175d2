from django.contrib import admin

from vigie.accounts.models import StaffMember


@admin.register(StaffMember)
class StaffMemberAdmin(admin.ModelAdmin):
    list_display = ["name", "title", "active"]
    list_filter = ["active"]
    search_fields = ["name", "aliases"]
