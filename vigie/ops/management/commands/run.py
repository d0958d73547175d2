"""`vigie run`: the web server (gunicorn) and the worker together, for one machine (ops/supervisor.py)."""

from django.core.management import call_command
from django.core.management.base import BaseCommand

from vigie.ops.supervisor import serve


class Command(BaseCommand):
    help = "Lance le serveur web et le worker ensemble (par défaut sur http://127.0.0.1:8000)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-migrate", action="store_true", help="ne pas appliquer les migrations au démarrage")

    def handle(self, *args, host: str, port: int, no_migrate: bool, **options):
        if not no_migrate:
            call_command("migrate", interactive=False, verbosity=0)
        serve(host, port, self.stdout)
