"""The delivery journal of the embedded default: on SQLite, a webhook delivery is written to a database
file of its own (`settings.DELIVERY_JOURNAL`), not to Vigie's.

SQLite lets one connection write at a time. The worker's batch transactions hold Vigie's database for
tens of milliseconds, and deliveries written there waited for them: in a burst they were acknowledged at
about 0.65× the floor's rate, p99 2.4–4.6× (docs/benchmarks.md). Written here, a delivery waits only for
other deliveries and for the worker's short DELETE of what it moved. The row is committed before the
answer (WAL, synchronous=NORMAL: Vigie's own database's durability), so a 200 still means stored.

The worker moves the journal into raw events (`raw_events.take_journal`) before it looks for pending
ones: rows are inserted first (a body already stored is left alone), deleted after, so a worker killed in
between moves them again harmlessly. On PostgreSQL deliveries go straight to the raw events: they wait
for nobody, and the web and the worker may be two machines.
"""

import sqlite3
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db import connection as vigie_database

SCHEMA = (
    "CREATE TABLE IF NOT EXISTS delivery (id INTEGER PRIMARY KEY AUTOINCREMENT, platform TEXT NOT NULL, "
    "body TEXT NOT NULL, error TEXT NOT NULL, received_at TEXT NOT NULL)"
)
_local = threading.local()


@dataclass(frozen=True)
class Delivery:
    id: int
    platform: str
    body: str
    error: str
    received_at: datetime


def in_use() -> bool:
    """Deliveries go through the journal: Vigie's database is SQLite."""
    return vigie_database.vendor == "sqlite"


def _connection() -> sqlite3.Connection:
    """This thread's connection to the journal, kept (a new one when the setting points elsewhere: tests)."""
    path = str(Path(settings.DELIVERY_JOURNAL))
    if getattr(_local, "path", None) != path:
        opened = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
        opened.execute("PRAGMA journal_mode=WAL")
        opened.execute("PRAGMA synchronous=NORMAL")
        opened.execute(SCHEMA)
        if getattr(_local, "connection", None) is not None:
            _local.connection.close()
        _local.connection, _local.path = opened, path
    return _local.connection


def append(body: str, *, platform: str, error: str = "") -> None:
    """One delivery, committed when this returns."""
    received_at = datetime.now(UTC).isoformat()
    _connection().execute(
        "INSERT INTO delivery (platform, body, error, received_at) VALUES (?, ?, ?, ?)",
        (platform, body, error, received_at),
    )


def oldest(limit: int) -> list[Delivery]:
    rows = _connection().execute(
        "SELECT id, platform, body, error, received_at FROM delivery ORDER BY id LIMIT ?", (limit,)
    )
    return [Delivery(pk, platform, body, error, datetime.fromisoformat(at)) for pk, platform, body, error, at in rows]


def forget(deliveries: list[Delivery]) -> None:
    """Deliveries now stored as raw events (ids are never reused: a late mover deletes nothing new)."""
    if deliveries:
        marks = ", ".join("?" * len(deliveries))
        _connection().execute(f"DELETE FROM delivery WHERE id IN ({marks})", [d.id for d in deliveries])  # noqa: S608


def count() -> int:
    """Deliveries waiting to be taken (none when the journal is not in use: PostgreSQL)."""
    return _connection().execute("SELECT count(*) FROM delivery").fetchone()[0] if in_use() else 0
