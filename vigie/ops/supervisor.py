"""The processes of `vigie run`: the web server (gunicorn) and the worker, each supervised on its own.

When one dies it is started again (after a pause that grows while it keeps dying at once), the other one
goes on. SIGTERM or SIGINT stops both.
"""

import logging
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass

from django.conf import settings

logger = logging.getLogger("vigie.run")

RESTART_DELAY = 1.0  # seconds before a dead process is started again
MAX_RESTART_DELAY = 30.0  # the pause doubles while a process dies within STABLE_AFTER of its start
STABLE_AFTER = 30.0
STOP_TIMEOUT = 15.0
POLL_EVERY = 0.5


def web_command(host: str, port: int, app: str = "vigie.wsgi:application") -> list[str]:
    """Gunicorn's settings (`vigie bench webhooks` runs its floor `app` under the same ones)."""
    return [
        sys.executable, "-m", "gunicorn", app, "--bind", f"{host}:{port}",
        "--worker-class", "gthread", "--workers", os.environ.get("VIGIE_WEB_WORKERS", "2"),
        "--threads", "8", "--access-logfile", "-", "--graceful-timeout", "10",
    ]  # fmt: skip


def worker_command() -> list[str]:
    """On SQLite the worker runs at a lower priority, so that deliveries (written to their journal meanwhile)
    are answered first. On PostgreSQL, where the worker may be on another machine, at full priority it
    keeps up with 200 deliveries a second on any load (docs/benchmarks.md)."""
    nice = [] if settings.DATABASE_URL else ["nice", "-n", "10"]
    return [*nice, sys.executable, "-m", "vigie", "worker"]


@dataclass
class Supervised:
    """One child process, started again when it dies."""

    name: str
    command: list[str]
    process: subprocess.Popen | None = None
    started_at: float = 0.0
    delay: float = RESTART_DELAY
    restart_at: float = 0.0

    def start(self) -> None:
        self.process = subprocess.Popen(self.command)  # noqa: S603
        self.started_at = time.monotonic()
        logger.info("%s démarré (pid %s)", self.name, self.process.pid)

    def check(self, now: float) -> None:
        """Notice a death and plan the restart; start again when its time has come."""
        if self.process is not None and self.process.poll() is not None:
            self._plan_restart(now)
        if self.process is None and now >= self.restart_at:
            self.start()

    def _plan_restart(self, now: float) -> None:
        if now - self.started_at >= STABLE_AFTER:
            self.delay = RESTART_DELAY
        self.restart_at = now + self.delay
        logger.warning(
            "%s arrêté (pid %s, code %s) : redémarrage dans %.0f s",
            self.name, self.process.pid, self.process.returncode, self.delay,
        )  # fmt: skip
        self.process = None
        self.delay = min(self.delay * 2, MAX_RESTART_DELAY)  # should it die again at once

    def terminate(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()

    def wait(self, deadline: float) -> None:
        if self.process is None:
            return
        try:
            self.process.wait(timeout=max(deadline - time.monotonic(), 0.1))
        except subprocess.TimeoutExpired:
            logger.warning("%s ne s'arrête pas : arrêt forcé", self.name)
            self.process.kill()
            self.process.wait()


@dataclass
class Supervisor:
    children: list[Supervised]
    stopping: bool = False

    def run(self) -> None:
        for child in self.children:
            child.start()
        while not self.stopping:
            time.sleep(POLL_EVERY)
            if not self.stopping:
                for child in self.children:
                    child.check(time.monotonic())

    def stop(self, *_signal) -> None:
        self.stopping = True

    def shut_down(self) -> None:
        for child in self.children:
            child.terminate()
        deadline = time.monotonic() + STOP_TIMEOUT
        for child in self.children:
            child.wait(deadline)


def serve(host: str, port: int, out) -> None:
    children = [Supervised("serveur web", web_command(host, port)), Supervised("worker", worker_command())]
    supervisor = Supervisor(children)
    signal.signal(signal.SIGTERM, supervisor.stop)
    signal.signal(signal.SIGINT, supervisor.stop)
    out.write(f"Vigie écoute sur http://{host}:{port}/ (Ctrl+C pour arrêter)")
    out.flush()
    try:
        supervisor.run()
    finally:
        supervisor.shut_down()
        logger.info("Vigie arrêtée")
