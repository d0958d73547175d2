from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "vigie.planning"
    label = "planning"
    verbose_name = "Planning des publications (monday.com)"
