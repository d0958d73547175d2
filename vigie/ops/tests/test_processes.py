"""Start-up as a newcomer or an operator sees it: settings checks, the demo, the server."""

import socket
import time
import urllib.request

import pytest

from vigie.demo.clock import QUESTIONS
from vigie.ops.tests.processes import start_vigie, throwaway_environment, vigie

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_production_without_its_secrets_stops_with_a_clear_message(tmp_path):
    with throwaway_environment(tmp_path) as env:
        env["VIGIE_ENV"] = "production"
        result = vigie(env, "check", check=False)
    assert result.returncode != 0
    assert "VIGIE_SECRET_KEY est obligatoire" in result.stderr


def test_outside_production_the_keys_are_generated_once_and_kept(tmp_path):
    with throwaway_environment(tmp_path) as env:
        vigie(env, "check")
        first = (tmp_path / "data" / "secret_key").read_text()
        vigie(env, "check")
        assert (tmp_path / "data" / "secret_key").read_text() == first
        assert oct((tmp_path / "data" / "encryption_key").stat().st_mode)[-3:] == "600"


def test_the_embedded_database_runs_in_wal_mode(tmp_path):
    from django.conf import settings

    if settings.DATABASE_URL:
        pytest.skip("PostgreSQL run")
    with throwaway_environment(tmp_path) as env:
        code = (
            "from django.db import connection; cursor = connection.cursor(); "
            "cursor.execute('PRAGMA journal_mode'); print(cursor.fetchone()[0])"
        )
        assert vigie(env, "shell", "-v", "0", "-c", code).stdout.strip() == "wal"


def test_the_demo_loads_through_the_import_and_the_server_answers(tmp_path):
    port = free_port()
    with throwaway_environment(tmp_path) as env:
        prepared = vigie(env, "demo", "--no-serve", timeout=300)
        assert "0 en erreur" in prepared.stdout
        assert "camille" in prepared.stdout and "community_manager" in prepared.stdout
        server = start_vigie(env, "run", "--port", str(port), "--no-migrate")
        try:
            status = None
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and status is None:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/compte/connexion/", timeout=5) as page:  # noqa: S310
                        status, body = page.status, page.read().decode()
                except OSError:
                    time.sleep(0.3)
            assert status == 200 and "Connexion" in body
        finally:
            import os
            import signal

            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        counted = vigie(
            env,
            "shell",
            "-v",
            "0",
            "-c",
            "from vigie.inbox.models import Message; from vigie.demo.history import PREFIX; "
            'print(Message.objects.exclude(kind="reply").exclude(external_id__startswith=PREFIX).count())',
        )
        lines = sum(1 for line in _demo_file().read_text().splitlines() if line.strip())
        # the file's lines and the private messages of the demo's clock (the months of history aside)
        assert int(counted.stdout) == lines + len(QUESTIONS)
        again = vigie(env, "demo", "--no-serve", timeout=300)
        assert "0 messages importés" in again.stdout


def _demo_file():
    from vigie.demo.files import DATA

    return DATA
