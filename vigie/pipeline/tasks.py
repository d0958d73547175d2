"""Background jobs of the pipeline. Jobs take ids; running one twice does the work once.

Code below the pipeline asks for them through vigie/ingestion/raw_events.py (`wake_after_commit`,
`enqueue_after_commit`), which calls the functions of the same name here (registered in apps.py)."""

import threading
import time
from datetime import timedelta

from django.db import transaction
from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task, db_task

from vigie.pipeline import processing

# A web process wakes the worker at most once in WAKE_EVERY seconds; a job woken at T keeps looking for
# pending events until T + WAKE_EVERY + CLOCK_SLACK (the web and the worker may be two machines).
WAKE_EVERY = 0.25
CLOCK_SLACK = 0.5
LOOK_EVERY = 0.05
DRAIN_AT_MOST = 30  # seconds; then the job hands over to a new one (other jobs get their turn)
# In a backlog (a full batch, more waiting), the job rests YIELD_SHARE of the time its batch took: the web
# processes answering the burst get the CPU (and, on SQLite, the write lock) in between (docs/benchmarks.md).
YIELD_SHARE = 0.5


@db_task(retries=3, retry_delay=5)
def process_raw_event(raw_event_id: int | None, woke_at: float | None = None) -> None:
    """This event and the other pending ones, in batches, until none is left; woken by a delivery
    (`woke_at`, epoch seconds), until none is left and none can still be on its way (see `wake`)."""
    look_until = woke_at + WAKE_EVERY + CLOCK_SLACK if woke_at is not None else 0
    started = time.monotonic()
    first = raw_event_id
    while time.monotonic() - started < DRAIN_AT_MOST:
        batch_started = time.monotonic()
        if done := processing.process_pending(first=first):
            first = None
            if len(done) >= processing.BATCH_SIZE:
                time.sleep((time.monotonic() - batch_started) * YIELD_SHARE)
        elif time.time() >= look_until:
            return
        else:
            time.sleep(LOOK_EVERY)
    process_raw_event(None, time.time())


class _Waker:
    """One job for the deliveries a web process stores within WAKE_EVERY seconds, not one per delivery
    (on SQLite each job is two synchronous writes to the queue and a claim in the database)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.last = float("-inf")

    def due(self) -> bool:
        with self.lock:
            now = time.monotonic()
            if now - self.last < WAKE_EVERY:
                return False
            self.last = now
            return True


_waker = _Waker()


def wake_after_commit(raw_event_id: int) -> None:
    """A delivery is stored: have it processed. A delivery whose wake-up is skipped was committed less
    than WAKE_EVERY after the wake-up of a job that keeps looking for longer than that, so that job
    (or another) takes it; should the job be lost, the sweeper below queues the event again. Jobs run
    at once (tests, `VIGIE_HUEY_IMMEDIATE`): each delivery is processed in its request."""
    if HUEY.immediate:
        transaction.on_commit(lambda: process_raw_event(raw_event_id))
    else:
        transaction.on_commit(lambda: _waker.due() and process_raw_event(raw_event_id, time.time()))


def enqueue_after_commit(raw_event_ids: list[int]) -> None:
    """Queue processing once the raw events are committed (a job never sees a missing row)."""
    transaction.on_commit(lambda: [process_raw_event(pk) for pk in raw_event_ids])


@db_periodic_task(crontab(minute="*"))
def requeue_stale_raw_events() -> None:
    """Nothing is lost: events whose job vanished (worker killed mid-way) are queued again."""
    for pk in processing.stale_pending_ids():
        process_raw_event(pk)


def requeue_all_pending() -> int:
    """At worker start: whatever was pending is done."""
    ids = processing.stale_pending_ids(older_than=timedelta(0))
    for pk in ids:
        process_raw_event(pk)
    return len(ids)
