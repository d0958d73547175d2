"""The worker's job drains what is pending; in a backlog it rests between batches, so that the web
processes answering a burst of deliveries get the CPU (and SQLite's write lock) in between."""

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
    full = processing.BATCH_SIZE
    assert run_job(monkeypatch, [full, full, 7]) == [0.1, 0.1]  # half of each full batch's 0.2 s


def test_a_trickle_is_processed_without_rest(monkeypatch):
    assert run_job(monkeypatch, [3, 1]) == []
