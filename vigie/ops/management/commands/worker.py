from django.core.management import call_command
from django.core.management.base import BaseCommand

from vigie.ingestion.tasks import requeue_all_pending


class Command(BaseCommand):
    help = "Lance le worker (file huey) : traite les événements reçus et les tâches de fond."

    def handle(self, *args, **options):
        requeued = requeue_all_pending()
        if requeued:
            self.stdout.write(f"{requeued} événement(s) en attente remis en file.")
        call_command("run_huey")
