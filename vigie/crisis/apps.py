from django.apps import AppConfig


class CrisisConfig(AppConfig):
    name = "vigie.crisis"
    label = "crisis"
    verbose_name = "Crises"

    def ready(self):
        from vigie.crisis import holds as crisis_holds
        from vigie.crisis import receivers  # noqa: F401 (outbox outcomes for the statement; labels people checked)
        from vigie.records import holds

        holds.register(crisis_holds.open_crisis_messages)
