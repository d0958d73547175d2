from django.apps import AppConfig


class InboxConfig(AppConfig):
    name = "vigie.inbox"
    label = "inbox"
    verbose_name = "Boîte de réception"

    def ready(self):
        from vigie.inbox import receivers  # noqa: F401  (the outbox's outcomes for replies and messages)
