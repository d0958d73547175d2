"""Run `vigie` in real processes against a throw-away database (SQLite, or PostgreSQL when the
suite runs on it), for tests of the worker and the server."""

import contextlib
import os
import shutil
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
from django.conf import settings


@contextlib.contextmanager
def throwaway_environment(tmp_path: Path):
    env = {key: value for key, value in os.environ.items() if not key.startswith("VIGIE_")}
    env["VIGIE_DATA_DIR"] = str(tmp_path / "data")
    env["DJANGO_SETTINGS_MODULE"] = "vigie.settings"
    _copy_classifier_model(tmp_path / "data" / "models")
    url = settings.DATABASE_URL
    if not url:
        yield env
        return
    name = f"vigie_proc_{uuid.uuid4().hex[:10]}"
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    env["VIGIE_DATABASE_URL"] = url.rsplit("/", 1)[0] + "/" + name
    try:
        yield env
    finally:
        with psycopg.connect(admin_url, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _copy_classifier_model(target: Path) -> None:
    """The current classifier model, fitted once for every test (DATA_DIR/models, under its build lock),
    copied in: the processes started here read it instead of each fitting their own (half a minute)."""
    from vigie.triage.classifier import default_model_dir, load_classifier, model_path
    from vigie.triage.model import version

    source = model_path(default_model_dir(), version())
    if not source.exists():
        load_classifier(model_dir=default_model_dir())
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(source, target / source.name)


def vigie(env: dict, *args: str, check: bool = True, timeout: int = 120) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "vigie", *args], env=env, capture_output=True, text=True, check=check,
        timeout=timeout,
    )  # fmt: skip


def start_vigie(env: dict, *args: str) -> subprocess.Popen:
    """Start `vigie ARGS` in its own process group; its output goes to a log in VIGIE_DATA_DIR."""
    log = (Path(env["VIGIE_DATA_DIR"]) / f"{args[0]}-{uuid.uuid4().hex[:6]}.log").open("w")
    return subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "vigie", *args], env=env, stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip


def done_events(env: dict) -> int:
    """Raw events done, read straight from the database (a `vigie shell` takes a second to start)."""
    query = "SELECT count(*) FROM ingestion_rawevent WHERE status = 'done'"
    if "VIGIE_DATABASE_URL" in env:
        with psycopg.connect(env["VIGIE_DATABASE_URL"]) as connection:
            return connection.execute(query).fetchone()[0]
    with contextlib.closing(sqlite3.connect(Path(env["VIGIE_DATA_DIR"]) / "vigie.sqlite3", timeout=30)) as connection:
        return connection.execute(query).fetchone()[0]
