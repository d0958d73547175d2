"""`vigie run`: the web server (gunicorn) and the worker together, for one machine."""

import os
import signal
import subprocess
import sys
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand


def web_command(host: str, port: int) -> list[str]:
    return [
        sys.executable, "-m", "gunicorn", "vigie.wsgi:application", "--bind", f"{host}:{port}",
        "--worker-class", "gthread", "--workers", os.environ.get("VIGIE_WEB_WORKERS", "2"),
        "--threads", "8", "--access-logfile", "-", "--graceful-timeout", "10",
    ]  # fmt: skip


def worker_command() -> list[str]:
    """On one machine the web server answers first (platforms time out and retry): the worker, whose
    work can wait a moment, runs at a lower priority."""
    return ["nice", "-n", "10", sys.executable, "-m", "vigie", "worker"]


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


def serve(host: str, port: int, out) -> None:
    processes = [subprocess.Popen(web_command(host, port)), subprocess.Popen(worker_command())]  # noqa: S603
    out.write(f"Vigie écoute sur http://{host}:{port}/ (Ctrl+C pour arrêter)")
    out.flush()

    def stop(*_):
        for process in processes:
            if process.poll() is None:
                process.terminate()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        while all(process.poll() is None for process in processes):
            time.sleep(0.5)
    finally:
        stop()
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
