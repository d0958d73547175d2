from django.apps import AppConfig


class RoundsConfig(AppConfig):
    name = "vigie.rounds"
    label = "rounds"
    verbose_name = "Tours de veille"
