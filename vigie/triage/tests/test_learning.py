"""The nightly learning from the moderators' corrections: fitted when they changed, put in service only if the
new model is not worse on the control set, told to the administrators when it is refused, picked up by every
process."""

import shutil
from datetime import datetime
from types import SimpleNamespace

import pytest

from vigie.audit.models import AuditEvent
from vigie.inbox import actions
from vigie.notifications.models import Notification
from vigie.records import retention
from vigie.triage import corpus, evaluation, learning, model, service, tasks
from vigie.triage.classifier import Classifier, chosen_path, install, model_path
from vigie.triage.staff import matcher_for

pytestmark = pytest.mark.django_db
PARKING = "Le parking est au sous-sol du bâtiment"


@pytest.fixture
def corrected(deliver, cm):
    """correct(n, text, label): comment n delivered, then its label corrected by a community manager."""

    def correct(n: int, text: str, label: str):
        message = deliver(n, text, author=f"a{n}")
        actions.correct_label(message, label, by=cm)
        return message

    return correct


def in_service(directory) -> Classifier:
    return Classifier(model.load(chosen_path(directory)), matcher_for())


def test_the_corrections_are_learnt_once_and_put_in_service(tmp_path, tiny_corpus, corrected):
    corpus_dir, directory = tiny_corpus(), tmp_path / "models"
    corrected(1, PARKING, "criticism")
    outcome = learning.learn(directory, corpus_dir)
    assert outcome.status == "installed" and outcome.corrections == 1
    assert chosen_path(directory) == model_path(directory, outcome.version)
    assert in_service(directory).classify(PARKING).label == "criticism"
    event = AuditEvent.objects.get(verb="triage.model_installed")
    assert event.actor_label == "apprentissage des corrections" and "de 1 correction et mis" in event.summary
    assert event.after["after"]["macro_f1"] >= event.after["before"]["macro_f1"] - learning.MAX_MACRO_F1_DROP

    again = learning.learn(directory, corpus_dir)
    assert again.status == "up_to_date"  # nothing new: nothing fitted, nothing said
    assert again.summary == "Modèle à jour (1 correction déjà apprise)."
    assert learning.Outcome("up_to_date", "", 2).summary == "Modèle à jour (2 corrections déjà apprises)."
    assert AuditEvent.objects.filter(verb__startswith="triage.model_").count() == 1


def test_a_model_worse_on_the_control_set_stays_out_of_service(tmp_path, tiny_corpus, corrected, personas, monkeypatch):
    corpus_dir, directory = tiny_corpus(), tmp_path / "models"
    corrected(1, PARKING, "criticism")
    first = learning.learn(directory, corpus_dir)
    corrected(2, "Je passerai vous voir jeudi", "question")
    monkeypatch.setattr(learning, "MAX_MACRO_F1_DROP", -1.0)  # no candidate can be better by a whole point
    outcome = learning.learn(directory, corpus_dir)
    assert outcome.status == "refused" and outcome.corrections == 2
    assert chosen_path(directory) == model_path(directory, first.version)
    assert not model_path(directory, outcome.version).exists()  # a refused model is not even saved
    told = Notification.objects.get()
    assert (
        told.recipient == personas["admin"]
        and "ferait moins bien" in told.title
        and told.link == "/audit/?verb=corrections"
    )
    assert "non mis en service" in AuditEvent.objects.get(verb="triage.model_refused").summary
    assert learning.learn(directory, corpus_dir).status == "up_to_date"  # the same corrections: not judged again
    assert Notification.objects.count() == 1
    from vigie.records.sentences import verbs_matching

    assert set(verbs_matching("corrections")) == {"triage.model_installed", "triage.model_refused"}


@pytest.mark.parametrize(
    "after, accepted",
    [
        ({"macro_f1": 0.96, "attacks": 19, "false_crises": 0}, True),
        ({"macro_f1": 0.921, "attacks": 18, "false_crises": 1}, True),  # a drop within MAX_MACRO_F1_DROP
        ({"macro_f1": 0.919, "attacks": 18, "false_crises": 1}, False),
        ({"macro_f1": 0.99, "attacks": 17, "false_crises": 0}, False),  # one attack on staff no longer found
        ({"macro_f1": 0.99, "attacks": 18, "false_crises": 2}, False),  # one more message would open a crisis
    ],
)
def test_the_gate_keeps_the_macro_f1_every_attack_on_staff_found_and_no_false_crisis(after, accepted):
    assert learning.acceptable({"macro_f1": 0.95, "attacks": 18, "false_crises": 1}, after) is accepted


class _Answers:
    """A stand-in classifier that gives each gate row its own label and attack, but misses the attacks it is told to."""

    def __init__(self, rows, missed=frozenset()):
        self.answers = {row.text: (row.label, row.targets_staff is True and row.text not in missed) for row in rows}

    def classify_many(self, items):
        return [SimpleNamespace(label=self.answers[text][0], targets_staff=self.answers[text][1]) for text, *_ in items]


def test_a_candidate_that_loses_attacks_on_named_staff_stays_out_though_the_domain_set_sees_nothing():
    """Learning 250 checked mentions cost one attack in ten on other sets while realistic.csv's 18 attacks were all
    still found (docs/triage.md, « Ce que les vérifications apprennent »): the gate also reads gate_staff.csv."""
    rows = learning.gate_rows()
    staff_attacks = sorted(row.text for row in evaluation.read_rows(learning.GATE_SETS[1]) if row.targets_staff)
    before = learning.figures(evaluation.evaluate(_Answers(rows), rows))
    after = learning.figures(evaluation.evaluate(_Answers(rows, frozenset(staff_attacks[:11])), rows))
    assert before["attacks"] == 18 + 110 and after["attacks"] == before["attacks"] - 11
    assert not learning.acceptable(before, after)


def test_a_defence_read_as_an_attack_counts_as_a_false_crisis():
    """The model tried on 2026-12-01 (docs/triage.md) read a defence of the director as misinformation against her:
    the gate would have refused it."""
    report = evaluation.Report()
    report.add("conflict", "misinformation", staff=False, found=True)  # opens a crisis
    report.add("criticism", "criticism", staff=False, found=True)  # « personnel visé », but no crisis
    report.add("abuse", "abuse", staff=True, found=True)  # a real attack
    assert learning.figures(report) == {"macro_f1": pytest.approx(2 / 3, abs=1e-4), "attacks": 1, "false_crises": 1}


def test_an_erased_message_is_not_learnt(corrected):
    message = corrected(1, PARKING, "criticism")
    assert [c.text for c in learning.corrections()] == [PARKING]
    retention.anonymise_authors([message.author_id])
    assert learning.corrections() == []


def test_every_process_picks_up_the_model_put_in_service(
    tmp_path, tiny_corpus, settings, model_dir, classifier, monkeypatch
):
    """The web server and the worker see at their next message that another model is in service."""
    directory = tmp_path / "data" / "models"
    directory.mkdir(parents=True)
    served = chosen_path(model_dir)
    shutil.copy(served, directory / served.name)  # the default model, as on a fresh installation
    settings.DATA_DIR = directory.parent
    for name, value in {"_base": None, "_pointer": None, "_current": None}.items():
        monkeypatch.setattr(service, name, value)
    before = service.classifier().version
    tiny = model.fit(corpus.generate("all", directory=tiny_corpus()), matcher_for(), "tiny-in-service")
    install(tiny, directory)
    assert before == model.version() and service.classifier().version == "tiny-in-service"


def test_the_worker_learns_once_a_night(monkeypatch):
    calls = []
    monkeypatch.setattr(learning, "learn", lambda: calls.append("learn"))
    tasks.learn_from_corrections.call_local()
    assert calls == ["learn"]
    assert tasks.learn_from_corrections.task_class().validate_datetime(datetime(2026, 12, 1, 2, 15))
    assert not tasks.learn_from_corrections.task_class().validate_datetime(datetime(2026, 12, 1, 14, 15))
