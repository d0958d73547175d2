from django.contrib import admin, messages

from vigie.inbox import actions
from vigie.inbox.models import Author, Person


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "created_at"]
    search_fields = ["name"]


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["display_name", "channel", "external_id", "person", "offence_count", "blocked"]
    list_filter = ["channel", "blocked"]
    search_fields = ["display_name", "external_id"]
    readonly_fields = ["channel", "external_id", "display_name", "person", "offence_count", "blocked"]
    actions = ["link"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Lier ces identités (une même personne sur plusieurs plateformes)")
    def link(self, request, queryset):
        try:
            person = actions.link_identities(queryset, by=request.user)
        except actions.ActionError as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return
        self.message_user(request, f"Identités liées à « {person.name} ».", messages.SUCCESS)
