from django.apps import AppConfig


class PipelineConfig(AppConfig):
    name = "vigie.pipeline"
    label = "pipeline"
    verbose_name = "Traitement des événements reçus"

    def ready(self):
        """Stored raw events are handed over to this app's processing (see vigie/ingestion/raw_events.py)."""
        from vigie.ingestion import raw_events
        from vigie.pipeline import processing, tasks

        raw_events.register_processor(
            raw_events.Processor(
                process_batch=processing.process_batch,
                wake_after_commit=tasks.wake_after_commit,
                enqueue_after_commit=tasks.enqueue_after_commit,
            )
        )
