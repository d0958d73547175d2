from django.apps import AppConfig


class ConnectorsConfig(AppConfig):
    name = "vigie.connectors"
    label = "connectors"
    verbose_name = "Connecteurs"

    def ready(self):
        """Each platform connector registers itself in vigie.connectors.registry when imported."""
        import vigie.connectors.facebook.connector  # noqa: F401
        import vigie.connectors.freshdesk.connector  # noqa: F401
        import vigie.connectors.linkedin.connector  # noqa: F401
        import vigie.connectors.youtube.connector  # noqa: F401
