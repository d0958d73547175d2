"""`vigie bench crisis`: detection delays and false alarms of DESIGN §8, in event time, on the replay
scenarios (vigie/crisis/scenarios.py): quiet weeks, waves by day, night and weekend, a harassment
thread, attacks on staff, a rumour, a viral friendly post.

Two measures: the detectors on the scenarios' true labels (several seeds, fast), and the whole pipeline
(the real classifier decides the labels) through `vigie replay` itself, one process per scenario.
"""

import json
import math
import statistics
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

from vigie.crisis import scenarios


def _report(out, title: str, delays: dict[str, list], goals: dict[str, int], false_alarms: int, days: float) -> None:
    for name, values in delays.items():
        found = [v for v in values if v is not None]
        missed = len(values) - len(found)
        within = sum(1 for v in found if v <= goals[name])
        low, high = wilson(within, len(values))
        if found:
            out(f"{title} {name}: délai médian {statistics.median(found):.1f} min, max {max(found):.1f} min"
                + (f", {missed} manquée(s)" if missed else "")
                + f", dans l'objectif de {goals[name]} min : {within}/{len(values)} (IC 95 % {low:.0%}–{high:.0%})"
                + f" ({len(values)} essais)")  # fmt: skip
        else:
            out(f"{title} {name}: {missed} manquée(s) sur {len(values)}")
    out(f"{title} fausses alertes: {false_alarms} en {days:.0f} jours = {false_alarms / days * 30:.2f} par mois")


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """The 95 % (Wilson) interval of a share k/n."""
    if n == 0:
        return 0.0, 1.0
    p, spread = k / n, z * z / n
    centre = p + spread / 2
    margin = z * math.sqrt(p * (1 - p) / n + spread / (4 * n))
    return (centre - margin) / (1 + spread), (centre + margin) / (1 + spread)


def _collect(pairs) -> tuple[dict[str, list], dict[str, int], int, float]:
    delays, goals, false_alarms, days = defaultdict(list), {}, 0, 0.0
    for scenario, lines in pairs:
        measure = scenarios.measure(scenario, lines)
        for incident, value in zip(scenario.incidents, measure.delays.values(), strict=True):
            delays[scenario.name].append(value)
            goals[scenario.name] = incident.goal_minutes
        false_alarms += len(measure.false_alarms)
        days += scenario.days
    return delays, goals, false_alarms, days


def run_crisis_bench(out, seeds: int = 10, replay: bool = True) -> None:
    pure = ((s, scenarios.simulate(s)) for seed in range(1, seeds + 1) for s in scenarios.catalogue(seed))
    _report(out, "crisis détecteurs (étiquettes vraies)", *_collect(pure))
    if replay:
        _report(out, "crisis vigie replay (classifieur réel)", *_collect(_replayed(scenarios.catalogue(1), out)))


def _replayed(catalogue, out):
    with tempfile.TemporaryDirectory(prefix="vigie-bench-crisis-") as directory:
        for scenario in catalogue:
            path = Path(directory) / f"{scenario.name}.jsonl"
            path.write_text(scenario.jsonl(), encoding="utf-8")
            command = [sys.executable, "-m", "vigie", "replay", str(path)]
            done = subprocess.run(command, capture_output=True, text=True, check=True)  # noqa: S603
            lines = [json.loads(line) for line in done.stdout.splitlines()]
            out(f"crisis vigie replay {scenario.name}: {len(scenario.records)} messages, {len(lines)} alerte(s)")
            yield scenario, lines
