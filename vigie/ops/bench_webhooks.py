"""`vigie bench webhooks`: signed Facebook deliveries against a real `vigie run`, beside its floor.

On a throw-away database (SQLite in a temporary folder, or a new PostgreSQL database when
VIGIE_DATABASE_URL points at PostgreSQL; Redis when VIGIE_REDIS_URL is set), the same N signed comment
deliveries (plus a share of exact re-deliveries, as Meta retries) from C concurrent senders go first to
the floor (`bench_floor`: a bare WSGI application under the same gunicorn settings that checks the
signature and stores the body with one INSERT), then to `vigie run` with its worker. Printed: events
per second and p50/p99 of the answer for both, Vigie's over the floor's, lost and duplicated events,
and the end-to-end time from sending to the message stored and triaged (p50/p95).
"""

import hashlib
import hmac
import json
import logging
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import psycopg
from django.conf import settings

from vigie.ops import bench_floor
from vigie.ops.supervisor import web_command

SECRET = "bench-app-secret"  # noqa: S105 - a throw-away server's secret
PAGE = "104857600424242"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def _throwaway_environment():
    folder = Path(tempfile.mkdtemp(prefix="vigie-bench-"))
    kept = ("VIGIE_WORKERS", "VIGIE_WORKER_TYPE", "VIGIE_WEB_WORKERS")  # how many processes: the bench's knobs
    env = {key: value for key, value in os.environ.items() if not key.startswith("VIGIE_") or key in kept}
    env |= {"VIGIE_DATA_DIR": str(folder), "VIGIE_FACEBOOK_APP_SECRET": SECRET, "VIGIE_LOG_LEVEL": "WARNING"}
    database = None
    if settings.DATABASE_URL.startswith("postgres"):
        database = f"vigie_bench_{uuid.uuid4().hex[:8]}"
        base = settings.DATABASE_URL.rsplit("/", 1)[0]
        with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{database}"')
        env["VIGIE_DATABASE_URL"] = f"{base}/{database}"
    if settings.REDIS_URL:
        env["VIGIE_REDIS_URL"] = settings.REDIS_URL
    try:
        yield env
    finally:
        if database:
            with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        shutil.rmtree(folder, ignore_errors=True)


def _vigie(env: dict, *args: str) -> str:
    command = [sys.executable, "-m", "vigie", *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, check=True).stdout  # noqa: S603


def _delivery(n: int) -> bytes:
    """One feed `comment add` as Meta sends it (a question, so triage has real work)."""
    now = int(time.time())
    value = {
        "from": {"id": f"9{n:016d}", "name": f"Personne {n}"}, "item": "comment", "verb": "add",
        "post_id": f"{PAGE}_7000{n % 50}", "parent_id": f"{PAGE}_7000{n % 50}", "comment_id": f"7000{n % 50}_{n}",
        "created_time": now, "message": f"Bonjour, quel est le tarif de la formation n° {n} ? Merci",
    }  # fmt: skip
    payload = {"object": "page", "entry": [{"id": PAGE, "time": now, "changes": [{"field": "feed", "value": value}]}]}
    return json.dumps(payload).encode()


def _signature(body: bytes) -> str:
    return "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()


def _headers(body: bytes) -> dict[str, str]:
    """A delivery's headers, signed as Meta signs them."""
    return {"Content-Type": "application/json", "X-Hub-Signature-256": _signature(body)}


def _send_all(url: str, bodies: list[tuple[int, bytes]], concurrency: int, rate: float = 0):
    """Send every body from `concurrency` threads: as fast as they can, or `rate` deliveries a second."""
    local = threading.local()
    sent_at: dict[int, float] = {}
    latencies: list[float] = []
    failures = 0
    lock = threading.Lock()

    def send(indexed):
        nonlocal failures
        index, (number, body) = indexed
        if rate:
            time.sleep(max(0.0, clock + index / rate - time.perf_counter()))
        client = getattr(local, "client", None) or httpx.Client(timeout=30)
        local.client = client
        started = time.time()
        response = client.post(url, content=body, headers=_headers(body))
        elapsed = time.time() - started
        with lock:
            sent_at.setdefault(number, started)
            latencies.append(elapsed)
            failures += response.status_code != 200

    started = clock = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(send, enumerate(bodies)))
    return time.perf_counter() - started, latencies, failures, sent_at


COUNT = """
import json
from vigie.inbox.models import Message
from vigie.ingestion import journal
from vigie.ingestion.models import RawEvent
# the journal first: a delivery moved in between is counted twice (a second's more wait), never missed
journalled = journal.count()
pending = journalled + RawEvent.objects.filter(status="pending").count()
failed = RawEvent.objects.filter(status="failed").count()
# then the rows: read first, they could miss a batch the worker committed before the count (lost, wrongly)
rows = list(Message.objects.filter(kind="comment").values_list("external_id", "received_at"))
print(json.dumps({"rows": [(e, r.timestamp()) for e, r in rows], "pending": pending, "failed": failed}))
"""


def _state(env: dict) -> dict:
    return json.loads(_vigie(env, "shell", "-v", "0", "-c", COUNT).strip().splitlines()[-1])


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


@dataclass
class Sending:
    seconds: float
    latencies: list[float]
    failures: int
    sent_at: dict[int, float]

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds

    def p(self, share: float) -> float:
        return _percentile(self.latencies, share) * 1000


@contextmanager
def _serving(command: list[str], env: dict, port: int):
    server = subprocess.Popen(  # noqa: S603
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    try:
        _wait_until_up(f"http://127.0.0.1:{port}/compte/connexion/")
        yield server
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def _warm_up(url: str, body: bytes) -> None:
    """One delivery before the clock starts: each server is measured running, not starting."""
    response = httpx.post(url, content=body, headers=_headers(body), timeout=30)
    response.raise_for_status()


def _floor(env: dict, bodies, concurrency: int, rate: float, warm_up: bytes) -> Sending:
    """The same deliveries to the floor, under `vigie run`'s gunicorn settings, on the same database."""
    database = env.get("VIGIE_DATABASE_URL") or str(Path(env["VIGIE_DATA_DIR"]) / "floor.sqlite3")
    bench_floor.create_table(database)
    port = _free_port()
    command = web_command("127.0.0.1", port, app="vigie.ops.bench_floor:application")
    with _serving(command, env | {"VIGIE_FLOOR_DATABASE": database}, port):
        _warm_up(f"http://127.0.0.1:{port}/", warm_up)
        return Sending(*_send_all(f"http://127.0.0.1:{port}/", bodies, concurrency, rate))


def run_webhook_bench(
    out, events: int = 5000, concurrency: int = 32, redeliver_share: float = 0.05, rate: float = 0
) -> None:
    logging.getLogger("httpx").setLevel(logging.WARNING)
    with _throwaway_environment() as env:
        _vigie(env, "migrate", "--noinput")
        _vigie(env, "train", "--no-database")  # the classifier's model exists before the clock starts
        bodies = [(n, _delivery(n)) for n in range(events)]
        sent = bodies + bodies[: int(events * redeliver_share)]
        pace = f" rate={rate:g}/s" if rate else ""
        out(f"webhooks.ingest events={events} redelivered={len(sent) - events} concurrency={concurrency}{pace}")
        warm_up = _delivery(events)  # a comment of its own, left out of the counts below
        floor = _floor(env, sent, concurrency, rate, warm_up)
        out(f"webhooks.floor events_per_s={floor.rate:.0f} p50={floor.p(0.5):.1f}ms p99={floor.p(0.99):.1f}ms "
            f"non_200={floor.failures}")  # fmt: skip
        port = _free_port()
        with _serving([sys.executable, "-m", "vigie", "run", "--port", str(port), "--no-migrate"], env, port):
            _warm_up(f"http://127.0.0.1:{port}/webhooks/facebook", warm_up)
            _wait_for_worker(env)  # the worker has started and triaged it
            vigie = Sending(*_send_all(f"http://127.0.0.1:{port}/webhooks/facebook", sent, concurrency, rate))
            out(f"webhooks.ingest events_per_s={vigie.rate:.0f} seconds={vigie.seconds:.1f} non_200={vigie.failures}")
            out(f"webhooks.latency p50={vigie.p(0.5):.1f}ms p99={vigie.p(0.99):.1f}ms")
            out(f"webhooks.vs_floor rate={vigie.rate / floor.rate:.2f}x p99={vigie.p(0.99) / floor.p(0.99):.2f}x")
            state = _wait_for_worker(env)
        rows = [(external, received) for external, received in state["rows"] if _number(external) < events]
        ids = [external_id for external_id, _ in rows]
        lost = events - len(set(ids))
        duplicated = len(ids) - len(set(ids))
        out(f"webhooks.outcome lost={lost} duplicated={duplicated} failed_raw_events={state['failed']}")
        delays = [received - vigie.sent_at[_number(external)] for external, received in rows]
        if delays:
            out(f"webhooks.end_to_end p50={statistics.median(delays):.2f}s p95={_percentile(delays, 0.95):.2f}s")


def _number(external_id: str) -> int:
    """A bench comment's number (`_delivery`)."""
    return int(external_id.rsplit("_", 1)[1])


def _wait_until_up(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=2).status_code == 200:  # the floor answers 200 to any GET
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"le serveur de {url} n'a pas démarré")


def _wait_for_worker(env: dict, seconds: float = 600) -> dict:
    deadline = time.monotonic() + seconds
    state = _state(env)
    while time.monotonic() < deadline and state["pending"]:
        time.sleep(1)
        state = _state(env)
    return state
