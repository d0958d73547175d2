from django.apps import AppConfig


class TriageConfig(AppConfig):
    name = "vigie.triage"
    label = "triage"
    verbose_name = "Tri"
