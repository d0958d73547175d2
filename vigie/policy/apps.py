from django.apps import AppConfig


class PolicyConfig(AppConfig):
    name = "vigie.policy"
    label = "policy"
    verbose_name = "Règles et procédure"

    def ready(self):
        from vigie.policy import receivers  # noqa: F401 (a checked label brings the procedure's proposals)
