from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "vigie.indicators"
    verbose_name = "Indicateurs"
