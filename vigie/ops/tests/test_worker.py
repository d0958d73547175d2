"""The real queue: a worker killed mid-way loses nothing; after a restart, everything is done once."""

import os
import signal
import time
from pathlib import Path

import pytest

from vigie.ops.tests.processes import done_events, start_vigie, throwaway_environment, vigie

pytestmark = pytest.mark.slow

EVENTS = 3000

ENQUEUE = f"""
import json
from django.db import transaction
from vigie.ingestion import raw_events
from vigie.pipeline import tasks
bodies = [json.dumps({{"platform": "facebook", "kind": "comment", "id": f"1_{{n}}", "thread_id": f"t{{n % 40}}",
    "author": {{"id": f"a{{n % 90}}", "name": "X"}}, "text": f"message {{n}}",
    "created_at": "2026-03-02T09:15:00+01:00"}}) for n in range({EVENTS})]
with transaction.atomic():
    ids = raw_events.store(bodies, source="import")
    tasks.enqueue_after_commit(ids)
"""

COUNT = """
from django.db.models import Count
from vigie.inbox.models import Message
from vigie.ingestion.models import RawEvent
dupes = Message.objects.values("external_id").annotate(n=Count("id")).filter(n__gt=1).count()
print(RawEvent.objects.filter(status="done").count(), Message.objects.count(), dupes)
"""


def counts(env):
    done, messages, dupes = vigie(env, "shell", "-v", "0", "-c", COUNT).stdout.split()
    return int(done), int(messages), int(dupes)


def wait_for(predicate, timeout: float, every: float = 0.3):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(every)
    return predicate()


def test_a_worker_killed_mid_way_loses_nothing(tmp_path):
    with throwaway_environment(tmp_path) as env:
        vigie(env, "migrate", "--noinput")
        vigie(env, "shell", "-c", ENQUEUE)
        worker = start_vigie(env, "worker")
        assert wait_for(lambda: done_events(env) > 0, 60, every=0.02), "the worker never started"
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()
        done_at_kill, _, _ = counts(env)
        assert done_at_kill < EVENTS, "the worker finished before it could be killed"
        restarted = start_vigie(env, "worker")
        try:
            assert wait_for(lambda: counts(env)[0] == EVENTS, 180), counts(env)
        finally:
            os.killpg(restarted.pid, signal.SIGTERM)
            restarted.wait(timeout=30)
        assert counts(env) == (EVENTS, EVENTS, 0)


def test_the_worker_logs_no_line_per_task_and_each_line_once(tmp_path):
    """huey's consumer gives the "huey" logger a handler of its own at INFO when it has none: every task
    was then logged twice (its handler and the root's), several lines a second in `vigie demo`."""
    with throwaway_environment(tmp_path) as env:
        vigie(env, "migrate", "--noinput")
        vigie(env, "shell", "-c", ENQUEUE)
        env["VIGIE_LOG_LEVEL"] = "INFO"
        worker = start_vigie(env, "worker")
        log = next(Path(env["VIGIE_DATA_DIR"]).glob("worker-*.log"))
        try:
            assert wait_for(lambda: done_events(env) > 0, 60, every=0.1), "the worker never started"
            time.sleep(2)  # tasks run: each one was two lines
        finally:
            os.killpg(worker.pid, signal.SIGTERM)
            worker.wait(timeout=30)
        lines = [line.split(" ", 2)[-1] for line in log.read_text().splitlines() if line.strip()]
    assert not [line for line in lines if "Executing" in line or "executed in" in line], lines
    assert len(lines) == len(set(lines)), lines
