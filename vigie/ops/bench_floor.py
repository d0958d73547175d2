"""The floor of `vigie bench webhooks`: the least work acknowledging a Facebook delivery needs, as a bare
WSGI application (no Django) that the bench runs under the same gunicorn settings as `vigie run`.

It checks X-Hub-Signature-256 (HMAC-SHA256 of the raw body, constant-time compare), stores the body with
one INSERT (Meta delivers again: a body already stored is left alone, as Vigie does) on the same kind of
database with the same durability settings (SQLite in WAL with synchronous=NORMAL, or PostgreSQL in
autocommit), and answers 200 only once the row is committed. Configured by the environment:
VIGIE_FACEBOOK_APP_SECRET and VIGIE_FLOOR_DATABASE (a SQLite file or a postgres:// URL).
"""

import hashlib
import hmac
import os
import sqlite3
import threading

TABLE = "bench_floor_event"
_local = threading.local()


def connect(database: str):
    if database.startswith("postgres"):
        import psycopg

        return psycopg.connect(database, autocommit=True)
    connection = sqlite3.connect(database, timeout=30, isolation_level=None, check_same_thread=False)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    return connection


def create_table(database: str) -> None:
    key = "BIGSERIAL PRIMARY KEY" if database.startswith("postgres") else "INTEGER PRIMARY KEY"
    connection = connect(database)
    connection.execute(f"CREATE TABLE IF NOT EXISTS {TABLE} (id {key}, body TEXT NOT NULL, body_sha256 TEXT UNIQUE)")
    connection.close()


def count(database: str) -> int:
    connection = connect(database)
    rows = connection.execute(f"SELECT count(*) FROM {TABLE}").fetchone()[0]  # noqa: S608 - a constant
    connection.close()
    return rows


def _store(body: bytes) -> None:
    database = os.environ["VIGIE_FLOOR_DATABASE"]
    connection = getattr(_local, "connection", None)
    if connection is None:
        connection = _local.connection = connect(database)
    mark = "%s" if database.startswith("postgres") else "?"
    connection.execute(
        f"INSERT INTO {TABLE} (body, body_sha256) VALUES ({mark}, {mark}) ON CONFLICT (body_sha256) DO NOTHING",  # noqa: S608
        (body.decode("utf-8", "backslashreplace"), hashlib.sha256(body).hexdigest()),
    )


def application(environ, start_response):
    if environ["REQUEST_METHOD"] != "POST":
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"floor"]
    body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
    secret = os.environ["VIGIE_FACEBOOK_APP_SECRET"].encode()
    expected = "sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected.encode(), environ.get("HTTP_X_HUB_SIGNATURE_256", "").strip().encode()):
        start_response("403 Forbidden", [("Content-Type", "text/plain")])
        return [b"Signature invalide."]
    _store(body)
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"EVENT_RECEIVED"]
