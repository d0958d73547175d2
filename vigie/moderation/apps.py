from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "vigie.moderation"
    label = "moderation"
    verbose_name = "Modération"
