from django.apps import AppConfig


class CrisisConfig(AppConfig):
    name = "vigie.crisis"
    label = "crisis"
    verbose_name = "Crises"
