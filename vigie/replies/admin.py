from django.contrib import admin

from vigie.replies.models import Charter, ReplyTemplate, Source


@admin.register(ReplyTemplate)
class ReplyTemplateAdmin(admin.ModelAdmin):
    list_display = ["title", "label", "platform", "sensitive", "usage_count", "active"]
    list_filter = ["label", "platform", "sensitive", "active"]
    search_fields = ["title", "body"]
    readonly_fields = ["usage_count"]


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["title", "url"]
    search_fields = ["title", "summary", "keywords"]


@admin.register(Charter)
class CharterAdmin(admin.ModelAdmin):
    list_display = ["version", "url", "published_at"]
