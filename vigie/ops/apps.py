from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "vigie.ops"
    label = "ops"
    verbose_name = "Exploitation"
