"""`vigie bench classify`: throughput on one core, load time and peak memory of the classifier.

`run_classify_bench(out)` prints one line per figure. Throughput is measured in this process, with no
thread and no other process, on a mix of realistic messages (the evaluation set, repeated): once as
Vigie classifies them, once by the fast model alone (without the toxicity's second stage, encoder.py),
with the share of messages whose toxicity the second stage changed (about those it is asked). The same
three figures follow on real text (`classify.real_text`: the frozen tweets of blind_ftr.csv, longer, and
where the fast model hesitates far more often).
"""

import dataclasses
import resource
import sys
import time
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

from vigie.triage import evaluation
from vigie.triage.classifier import Classifier, default_model_dir, load_classifier, model_path
from vigie.triage.model import version

SAMPLE = Path(__file__).resolve().parent / "data" / "eval" / "realistic.csv"
REAL_TEXT = SAMPLE.parent / "blind_ftr.csv"


def _peak_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def run_classify_bench(out, messages: int = 30_000, model_dir: Path | None = None) -> dict[str, float]:
    directory = Path(model_dir or default_model_dir())
    if not model_path(directory, version()).exists():
        started = time.perf_counter()
        load_classifier(model_dir=directory)
        out(f"classify.build_seconds={time.perf_counter() - started:.2f}")
    started = time.perf_counter()
    classifier = load_classifier(model_dir=directory)
    load_seconds = time.perf_counter() - started
    out(f"classify.load_seconds={load_seconds:.2f}")
    fast = Classifier(dataclasses.replace(classifier.model, encoder_toxic=np.zeros(0, np.float32)), classifier.matcher)
    rate = _measure(out, "classify", classifier, fast, SAMPLE, messages)
    _measure(out, "classify.real_text", classifier, fast, REAL_TEXT, max(messages // 6, 1))
    out(f"classify.peak_memory_mb={_peak_mb():.0f}")
    out(f"classify.model_version={classifier.version}")
    return {"messages_per_s": rate, "load_seconds": load_seconds, "peak_memory_mb": _peak_mb()}


def _measure(out, name: str, classifier: Classifier, fast: Classifier, path: Path, messages: int) -> float:
    """Vigie's rate on `messages` lines taken in turn from `path`; the fast model's, and the second stage's share."""
    items = [(r.text, r.kind, r.platform) for r in evaluation.read_rows(path)]
    batch = (items * (messages // len(items) + 1))[:messages]
    rate, results = _throughput(classifier, items, batch)
    out(f"{name}.throughput messages_per_s={rate:.0f} messages={len(batch)}")
    fast_rate, fast_results = _throughput(fast, items, batch)
    asked = sum(r.toxicity != s.toxicity for r, s in zip(results, fast_results, strict=True))
    out(f"{name}.fast_path messages_per_s={fast_rate:.0f} second_stage_share={asked / len(batch):.3f}")
    return rate


def _throughput(classifier, items: list, batch: list) -> tuple[float, list]:
    with threadpool_limits(limits=1):  # one core: no BLAS threads either
        classifier.classify_many(items)  # warm-up
        started = time.perf_counter()
        results = classifier.classify_many(batch)
        seconds = time.perf_counter() - started
    assert len(results) == len(batch) and all(r.actions for r in results)
    return len(batch) / seconds, results
