from django.apps import AppConfig


class HelpdeskConfig(AppConfig):
    name = "vigie.helpdesk"
    label = "helpdesk"
    verbose_name = "Suivi des demandes (tâches, Freshdesk)"

    def ready(self):
        from vigie.helpdesk import receivers  # noqa: F401  (the outbox's outcomes for tickets)
