from django.core.management import call_command
from django.core.management.base import BaseCommand

from vigie.pipeline.tasks import requeue_all_pending


class Command(BaseCommand):
    help = "Lance le worker (file huey) : traite les événements reçus et les tâches de fond."

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-periodic", action="store_true", help="ne pas lancer les tâches périodiques (autres workers)"
        )

    def handle(self, *args, no_periodic: bool, **options):
        requeued = requeue_all_pending()
        if requeued:
            self.stdout.write(f"{requeued} événement(s) en attente remis en file.")
        call_command("run_huey", periodic=not no_periodic)
