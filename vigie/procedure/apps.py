from django.apps import AppConfig


class ProcedureConfig(AppConfig):
    name = "vigie.procedure"
    verbose_name = "Procédure (versions)"
