"""Background jobs of the pipeline. Jobs take ids; running one twice does the work once.

Code below the pipeline asks for them through vigie/ingestion/raw_events.py (`wake_after_commit`,
`enqueue_after_commit`), which calls the functions of the same name here (registered in apps.py)."""

import threading
import time
from datetime import timedelta

from django.db import transaction
from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task, db_task

from vigie.ingestion import raw_events
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
# In a stream (a batch that was not full), the worker's drain takes its next batch GATHER seconds after the
# last one started: at 200 deliveries a second it then pays a batch's fixed cost (~45 ms of statements)
# four times a second instead of twenty, and leaves that CPU to the web processes (docs/benchmarks.md).
# The first delivery after a quiet spell is taken at once. Jobs run at once (tests) do not wait.
GATHER = 0.25


@db_task(retries=3, retry_delay=5)
def process_raw_event(raw_event_id: int | None, woke_at: float | None = None) -> None:
    """This event and the other pending ones, in batches, until none is left; woken by a delivery
    (`woke_at`, epoch seconds), until none is left and none can still be on its way (see `wake`).
    Should another job of this worker be draining already, it takes this one's work over."""
    look_until = woke_at + WAKE_EVERY + CLOCK_SLACK if woke_at is not None else 0
    drain = _Drain() if HUEY.immediate else _drain  # jobs run at once (tests): each in its caller, alone, at once
    if not drain.join(raw_event_id, look_until):
        return
    try:
        ran_out = _drain_batches(drain)
    finally:
        drain.leave()
    if ran_out:
        process_raw_event(None, time.time())  # a new job: the worker's other jobs get their turn


def _drain_batches(drain: "_Drain") -> bool:
    """Batches until none is left and none can still be on its way; True if DRAIN_AT_MOST ran out first."""
    started = time.monotonic()
    while time.monotonic() - started < DRAIN_AT_MOST:
        batch_started = time.monotonic()
        if done := processing.process_pending(first=drain.next_first()):
            took = time.monotonic() - batch_started
            if len(done) >= processing.batch_size():
                time.sleep(took * YIELD_SHARE)
            elif took < drain.gather:
                time.sleep(drain.gather - took)
        elif drain.may_stop():
            return False
        else:
            time.sleep(LOOK_EVERY)
    return True


class _Drain:
    """One job drains at a time in a worker process. The consumer runs jobs on several threads
    (VIGIE_WORKERS): two draining together would both work through a backlog, each one's rest being the
    other's turn, and the web processes answering the burst would get nothing back (docs/benchmarks.md).
    A job that finds the drain taken leaves it its event and how long to keep looking, and ends."""

    def __init__(self, gather: float = 0.0):
        self.gather = gather  # seconds between the starts of two batches in a stream
        self.lock = threading.Lock()
        self.running = False
        self.look_until = 0.0
        self.firsts: list[int] = []

    def join(self, first: int | None, look_until: float) -> bool:
        """Whether this job is the one to drain (otherwise the running one has taken its work)."""
        with self.lock:
            self.look_until = max(self.look_until, look_until)
            if first is not None:
                self.firsts.append(first)
            if self.running:
                return False
            self.running = True
            return True

    def next_first(self) -> int | None:
        with self.lock:
            return self.firsts.pop(0) if self.firsts else None

    def may_stop(self) -> bool:
        """Nothing pending was found: stop, unless a delivery may still be on its way or an event was
        left by another job meanwhile."""
        with self.lock:
            if self.firsts or time.time() < self.look_until:
                return False
            self.running = False
            return True

    def leave(self) -> None:
        """Stopped, ran out of time or failed: the next job drains (what was left to this one stays)."""
        with self.lock:
            self.running = False


_drain = _Drain(gather=GATHER)


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


def wake_after_commit(raw_event_id: int | None) -> None:
    """A delivery is stored (as this raw event, or in the journal): have it processed. A delivery whose
    wake-up is skipped was committed less than WAKE_EVERY after the wake-up of a job that keeps looking
    for longer than that, so that job (or another) takes it; should the job be lost, the sweeper below
    takes it. Jobs run at once (tests, `VIGIE_HUEY_IMMEDIATE`): each delivery is processed in its request."""
    if HUEY.immediate:
        transaction.on_commit(lambda: process_raw_event(raw_event_id))
    else:
        transaction.on_commit(lambda: _waker.due() and process_raw_event(raw_event_id, time.time()))


def enqueue_after_commit(raw_event_ids: list[int]) -> None:
    """Queue processing once the raw events are committed (a job never sees a missing row)."""
    transaction.on_commit(lambda: [process_raw_event(pk) for pk in raw_event_ids])


@db_periodic_task(crontab(minute="*"))
def requeue_stale_raw_events() -> None:
    """Nothing is lost: events whose job vanished (worker killed mid-way) are queued again, and deliveries
    left in the journal (their wake-up lost) become raw events."""
    raw_events.take_journal()
    for pk in processing.stale_pending_ids():
        process_raw_event(pk)


def requeue_all_pending() -> int:
    """At worker start: whatever was pending is done (the journal's first deliveries among it)."""
    raw_events.take_journal()
    ids = processing.stale_pending_ids(older_than=timedelta(0))
    for pk in ids:
        process_raw_event(pk)
    return len(ids)
