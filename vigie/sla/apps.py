from django.apps import AppConfig


class SlaConfig(AppConfig):
    name = "vigie.sla"
    label = "sla"
    verbose_name = "Délais de réponse et calendrier"
