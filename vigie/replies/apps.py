from django.apps import AppConfig


class RepliesConfig(AppConfig):
    name = "vigie.replies"
    label = "replies"
    verbose_name = "Modèles de réponse, sources et charte"
