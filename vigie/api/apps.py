from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "vigie.api"
    label = "api"
    verbose_name = "API"

    def ready(self):
        from vigie.api import schema  # noqa: F401  (the bearer token's description, for drf-spectacular)
