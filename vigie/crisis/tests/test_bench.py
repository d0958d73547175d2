"""`vigie bench crisis` prints one line per scenario and the false alarms a month."""

from vigie.ops.bench_crisis import run_crisis_bench


def test_the_crisis_bench_reports_delays_and_false_alarms():
    lines = []
    run_crisis_bench(lines.append, seeds=1, replay=False)
    assert any(line.startswith("crisis détecteurs (étiquettes vraies) attaque: délai médian 0.0 min")
               for line in lines)  # fmt: skip
    assert any("harcelement: délai médian" in line for line in lines)
    assert lines[-1].startswith("crisis détecteurs (étiquettes vraies) fausses alertes:")
    assert lines[-1].endswith("par mois")
