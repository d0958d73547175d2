from django.apps import AppConfig


class IngestionConfig(AppConfig):
    name = "vigie.ingestion"
    label = "ingestion"
    verbose_name = "Collecte"
