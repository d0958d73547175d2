from django.apps import AppConfig


class HelpdeskConfig(AppConfig):
    name = "vigie.helpdesk"
    label = "helpdesk"
    verbose_name = "Suivi des demandes (tâches, Freshdesk)"

    def ready(self):
        """Registered when imported: the outbox's outcomes for tickets (receivers) and Freshdesk's poller
        (sync, in the connectors' registry)."""
        from vigie.helpdesk import receivers, sync  # noqa: F401
