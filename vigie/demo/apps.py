from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "vigie.demo"
    label = "demo"
    verbose_name = "Démo"
