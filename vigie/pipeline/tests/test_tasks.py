"""The worker's job drains what is pending; in a backlog it rests between batches, so that the web
processes answering a burst of deliveries get the CPU (and SQLite's write lock) in between."""

import time
from types import SimpleNamespace

import pytest

from vigie.pipeline import processing, tasks


def run_job(monkeypatch, batches: list[int], batch_seconds: float = 0.2) -> list[float]:
    """Run one job over batches of the given sizes (then nothing); the rests it took, in seconds."""
    clock = {"now": 1000.0}
    rests: list[float] = []
    pending = list(batches)

    def process_pending(first=None):
        clock["now"] += batch_seconds
        return [object()] * pending.pop(0) if pending else []

    def sleep(seconds: float) -> None:
        rests.append(round(seconds, 3))
        clock["now"] += seconds

    monkeypatch.setattr(processing, "process_pending", process_pending)
    monkeypatch.setattr(tasks.time, "monotonic", lambda: clock["now"])
    monkeypatch.setattr(tasks.time, "sleep", sleep)
    tasks.process_raw_event.call_local(None, None)
    return rests


def test_a_backlog_is_drained_with_a_rest_after_each_full_batch(monkeypatch):
    full = processing.batch_size()
    assert run_job(monkeypatch, [full, full, 7]) == [0.1, 0.1]  # half of each full batch's 0.2 s


def test_jobs_run_at_once_take_a_stream_without_waiting(monkeypatch):
    assert run_job(monkeypatch, [3, 1]) == []


def test_the_worker_lets_a_stream_gather_between_batches(monkeypatch):
    monkeypatch.setattr(tasks, "HUEY", SimpleNamespace(immediate=False))  # a worker's consumer, not tests
    monkeypatch.setattr(tasks, "_drain", tasks._Drain(gather=tasks.GATHER))
    full = processing.batch_size()
    assert run_job(monkeypatch, [3, 1, full, 2], batch_seconds=0.1) == [0.15, 0.15, 0.05, 0.15]
    assert run_job(monkeypatch, [4], batch_seconds=0.3) == []  # a batch longer than that: the next at once


def test_a_job_finding_another_draining_leaves_it_its_event_and_ends(monkeypatch):
    drain = tasks._Drain()
    assert drain.join(None, look_until=0)  # the first job drains
    monkeypatch.setattr(tasks, "_drain", drain)
    monkeypatch.setattr(tasks, "HUEY", SimpleNamespace(immediate=False))  # a worker's consumer, not tests
    monkeypatch.setattr(processing, "process_pending", lambda first=None: pytest.fail("a second drain ran"))
    tasks.process_raw_event.call_local(42, None)
    assert drain.next_first() == 42 and drain.next_first() is None


def test_the_drain_keeps_looking_while_a_handed_over_delivery_may_be_on_its_way():
    drain = tasks._Drain()
    assert drain.join(None, look_until=0)
    assert not drain.join(7, look_until=time.time() + 60)  # a later wake-up, handed over
    assert not drain.may_stop()  # its event is still to be claimed
    assert drain.next_first() == 7
    assert not drain.may_stop()  # and deliveries may still be on their way
    drain.look_until = time.time() - 1
    assert drain.may_stop()
    assert drain.join(None, look_until=0)  # the next job drains


def test_a_failing_drain_frees_the_worker_for_the_next_job(monkeypatch):
    drain = tasks._Drain()
    monkeypatch.setattr(tasks, "_drain", drain)
    monkeypatch.setattr(tasks, "HUEY", SimpleNamespace(immediate=False))

    def broken(first=None):
        raise RuntimeError("database gone")

    monkeypatch.setattr(processing, "process_pending", broken)
    with pytest.raises(RuntimeError):
        tasks.process_raw_event.call_local(5, None)
    assert drain.join(5, look_until=0)  # huey's retry of the job (or any next job) drains


def test_jobs_run_at_once_each_drain_for_their_caller(monkeypatch):
    """Tests and `VIGIE_HUEY_IMMEDIATE`: a delivery is processed in its request, whatever else runs."""
    assert tasks.HUEY.immediate
    busy = tasks._Drain()
    busy.join(None, look_until=0)
    monkeypatch.setattr(tasks, "_drain", busy)
    calls = []
    monkeypatch.setattr(processing, "process_pending", lambda first=None: calls.append(first) or [])
    tasks.process_raw_event.call_local(9, None)
    assert calls == [9]
