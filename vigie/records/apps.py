from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "vigie.records"
    verbose_name = "Tableaux de suivi, plan de contrôle, données personnelles"
