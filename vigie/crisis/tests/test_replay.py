"""`vigie replay`: the whole pipeline (the real classifier, rules, detectors) in event time.

In-process tests replay into the test database (`replay.replay`); one test runs the real command in a
subprocess to hold the contract: JSON lines on standard output and nothing else, a throw-away database.
"""

import json
import os
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from vigie.crisis import scenarios, service
from vigie.crisis.models import Crisis
from vigie.inbox.models import Message
from vigie.pipeline import replay

pytestmark = pytest.mark.django_db
DAY = scenarios.MONDAY + timedelta(days=8)


def replayed(scenario: scenarios.Scenario, tmp_path: Path) -> list[dict]:
    path = tmp_path / f"{scenario.name}.jsonl"
    path.write_text(scenario.jsonl(), encoding="utf-8")
    report = replay.Report()
    bodies = replay.read_stream(path, report)
    lines = []
    replay.replay(bodies, report, lines.append)
    assert report.replayed == len(scenario.records)
    return lines


def builder(name: str, seed: int = 3) -> scenarios.Builder:
    return scenarios.Builder(name, scenarios.MONDAY, seed).normal(10)


def delay(scenario, lines) -> float:
    [value] = scenarios.measure(scenario, lines).delays.values()
    assert value is not None, lines
    return value


def test_a_staff_attack_alerts_within_five_minutes(tmp_path):
    scenario = builder("attaque").staff_attack(DAY + timedelta(hours=22, minutes=5), repeats=2).scenario
    lines = replayed(scenario, tmp_path)
    assert delay(scenario, lines) <= 5
    attack = [line for line in lines if set(line["message_ids"]) & scenario.incidents[0].ids]
    assert [line["signal"] for line in attack] == ["staff_attack"]  # the later attacks joined it
    assert (
        Crisis.objects.get(signal="staff_attack", links__message__external_id=attack[0]["message_ids"][0]).links.count()
        == 3
    )


def test_a_fast_harassment_thread_alerts_within_five_minutes(tmp_path):
    scenario = builder("harcelement").harassment(DAY + timedelta(hours=20, minutes=41)).scenario
    assert delay(scenario, replayed(scenario, tmp_path)) <= 5


def test_a_negative_wave_alerts_within_fifteen_minutes(tmp_path):
    scenario = builder("vague").wave(DAY + timedelta(hours=14, minutes=7), per_hour=30).scenario
    assert delay(scenario, replayed(scenario, tmp_path)) <= 15


def test_a_spreading_falsehood_alerts_within_an_hour(tmp_path):
    scenario = builder("rumeur").rumour(DAY + timedelta(hours=9, minutes=20)).scenario
    assert delay(scenario, replayed(scenario, tmp_path)) <= 60


def test_a_viral_friendly_post_and_quiet_days_raise_no_alert(tmp_path):
    scenario = builder("viral", seed=5).viral_friendly(DAY + timedelta(hours=18)).scenario
    lines = replayed(scenario, tmp_path)
    assert scenarios.measure(scenario, lines).false_alarms == []


def test_alerts_are_in_event_time_whatever_the_order_of_the_file(tmp_path):
    scenario = scenarios.Builder("desordre", scenarios.MONDAY, 1).staff_attack(DAY).scenario
    naive = (DAY + timedelta(hours=2)).replace(tzinfo=None).isoformat()  # no offset: Paris time
    scenario.records.append(dict(scenario.records[0], id="late", created_at=naive, text="Bonne journée à tous"))
    path = tmp_path / "desordre.jsonl"
    path.write_text("".join(reversed(scenario.jsonl().splitlines(keepends=True))), encoding="utf-8")
    report = replay.Report()
    lines = []
    replay.replay(replay.read_stream(path, report), report, lines.append)
    assert [(line["signal"], datetime.fromisoformat(line["at"])) for line in lines] == [("staff_attack", DAY)]
    assert Message.objects.count() == 2


def test_bad_lines_are_reported_and_the_rest_replayed(tmp_path):
    good = scenarios.Builder("mauvais", scenarios.MONDAY, 1).staff_attack(DAY).scenario.jsonl()
    path = tmp_path / "mauvais.jsonl"
    path.write_text('{"platform": "facebook"\nnot json\n' + good, encoding="utf-8")
    report = replay.Report()
    bodies = replay.read_stream(path, report)
    assert [number for number, _ in report.errors] == [1, 2]
    assert len(bodies) == 1


def test_the_command_prints_only_alert_lines_and_leaves_no_database(tmp_path):
    scenario = builder("commande").staff_attack(DAY + timedelta(hours=10)).scenario
    path = tmp_path / "flux.jsonl"
    path.write_text(scenario.jsonl(), encoding="utf-8")
    staff = tmp_path / "equipe.txt"
    staff.write_text("Nadia Benali | Mme Benali | la directrice\nMarc Girard | Dr Girard\n", encoding="utf-8")
    data_dir = tmp_path / "data"
    env = {**os.environ, "VIGIE_DATA_DIR": str(data_dir), "VIGIE_DATABASE_URL": "postgres://nowhere/none"}
    done = subprocess.run([sys.executable, "-m", "vigie", "replay", str(path), "--staff-file", str(staff)],
                          capture_output=True, text=True, env=env, timeout=300)  # fmt: skip
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert lines and all(set(line) == {"type", "at", "signal", "platform", "message_ids"} for line in lines)
    assert all(line["type"] == "crisis_alert" and line["platform"] == "facebook" for line in lines)
    assert scenarios.measure(scenario, lines).delays and None not in scenarios.measure(scenario, lines).delays.values()
    assert "messages rejoués" in done.stderr
    assert not (data_dir / "vigie.sqlite3").exists()  # the real database was never touched


def test_the_command_refuses_a_real_database(tmp_path):
    from django.core.management import CommandError, call_command

    path = tmp_path / "flux.jsonl"
    path.write_text("", encoding="utf-8")
    with pytest.raises(CommandError, match="base jetable"):
        call_command("replay", str(path))


def test_the_dry_run_decides_as_the_pipeline_did(tmp_path):
    from vigie.crisis import detection, dryrun

    scenario = builder("memes").rumour(DAY + timedelta(hours=9)).harassment(DAY + timedelta(hours=20)).scenario
    lines = replayed(scenario, tmp_path)
    assert len(lines) >= 2
    result = dryrun.dry_run(detection.Thresholds(), weeks=3, now=DAY + timedelta(days=3))
    simulated = [(a.signal.kind, a.signal.message_ids) for a in result.alerts]
    assert simulated == [(line["signal"], line["message_ids"]) for line in lines]
    assert all(a.known is not None for a in result.alerts)  # each is a crisis the pipeline opened


def test_a_label_the_model_hesitated_on_becomes_a_claim_once_a_person_checked_it(deliver):
    message = deliver(1, "Ce centre a été condamné pour escroquerie au CPF, c'est dans la presse")
    classification = message.classification
    classification.label, classification.confidence = "misinformation", 0.4
    classification.save()
    assert not service.observation(message).claim
    classification.corrected_label, classification.corrected_at = "misinformation", timezone.now()
    classification.save()
    assert service.observation(message).claim
