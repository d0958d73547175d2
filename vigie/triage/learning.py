"""Learning from the centre's own corrections, every night, without letting them break the model.

Moderators correct or confirm labels in the inbox (one tap); `vigie train` learns them when someone runs it.
`learn()` does it by itself (the worker, once a night): when the corrections changed since the model in
service, it fits a candidate on the corpus plus the corrections, compares it with the model in service on
the hand-written domain set (`realistic.csv`), and puts it in service only if it is not worse where the
procedure cares most: the 8-label macro-F1 may not drop by more than `MAX_MACRO_F1_DROP`, no attack on staff
that the model in service finds may be missed, and no more messages may open a false crisis. A refused
candidate is not saved; the administrators are told why. Every outcome but « up to date » is in the audit log.
"""

import logging
import time
from dataclasses import dataclass
from pathlib import Path

from django.db import DatabaseError, transaction
from django.urls import reverse

from vigie.accounts.roles import ADMIN
from vigie.audit.record import record
from vigie.lib.plural import pluriel
from vigie.notifications import service as notifications
from vigie.triage import classifier as classifiers
from vigie.triage import evaluation, model
from vigie.triage.corpus import Example
from vigie.triage.model import LABELS
from vigie.triage.models import Classification
from vigie.triage.staff import matcher_for
from vigie.vocabulary import CRISIS_ATTACKS

log = logging.getLogger(__name__)
# the control sets a candidate is judged on: the centre's domain (310 messages, 18 attacks on staff) and messages
# that all name staff (attacks in many forms, praise, questions, civil criticism), written for the gate
EVAL_DIR = Path(__file__).resolve().parent / "data" / "eval"
GATE_SETS = (EVAL_DIR / "realistic.csv", EVAL_DIR / "gate_staff.csv")
MAX_MACRO_F1_DROP = 0.03
CRISIS_LABELS = frozenset(LABELS.index(label) for label in CRISIS_ATTACKS)


@dataclass(frozen=True)
class Outcome:
    status: str  # "up_to_date" (also: these corrections were refused before), "installed", "refused"
    version: str
    corrections: int
    before: dict | None = None  # figures of the model in service on the gate sets
    after: dict | None = None  # figures of the candidate
    seconds: float = 0.0

    @property
    def summary(self) -> str:
        if self.status == "up_to_date":
            s = pluriel(self.corrections)
            return f"Modèle à jour ({self.corrections} correction{s} déjà apprise{s})."
        figures = (
            f"macro-F1 {self.before['macro_f1']:.3f} → {self.after['macro_f1']:.3f}, attaques du personnel trouvées "
            f"{self.before['attacks']} → {self.after['attacks']}, fausses crises {self.before['false_crises']} → "
            f"{self.after['false_crises']}"
        )
        if self.status == "installed":
            return (
                f"Modèle {self.version} appris de {self.corrections} correction{pluriel(self.corrections)} et mis en "
                f"service ({figures})."
            )
        return (
            f"Modèle appris de {self.corrections} correction{pluriel(self.corrections)} non mis en service : il ferait "
            f"moins bien que le modèle actuel sur les jeux de contrôle ({figures})."
        )


def corrections() -> list[Example]:
    """The labels moderators corrected or confirmed in the inbox; erased texts are not learnt (DB unavailable:
    none)."""
    try:
        checked = (
            Classification.objects.exclude(corrected_at=None)
            .exclude(message__text="")
            .select_related("message__channel")
            .order_by("pk")
        )
        return [
            Example(c.message.text, c.effective_label, c.message.kind, c.message.channel.platform, c.targets_staff)
            for c in checked
        ]
    except DatabaseError:
        return []


def figures(report: evaluation.Report) -> dict:
    """On the gate sets: the 8-label macro-F1, the attacks on staff found, and the false crises — messages that do
    not attack staff read as abuse or misinformation against them, which opens a crisis (crisis/detection.py)."""
    staff = list(zip(report.staff_expected, report.staff_predicted, report.predicted, strict=True))
    attacks = sum(expected is True and found for expected, found, _ in staff)
    false_crises = sum(expected is not True and found and label in CRISIS_LABELS for expected, found, label in staff)
    return {"macro_f1": round(report.macro_f1(), 4), "attacks": int(attacks), "false_crises": int(false_crises)}


def gate_rows() -> list[evaluation.Row]:
    return [row for path in GATE_SETS for row in evaluation.read_rows(path)]


def acceptable(before: dict, after: dict) -> bool:
    """Whether the candidate may replace the model in service (figures of `figures()` on the gate sets)."""
    return (
        after["macro_f1"] >= before["macro_f1"] - MAX_MACRO_F1_DROP
        and after["attacks"] >= before["attacks"]
        and after["false_crises"] <= before["false_crises"]
    )


def learn(model_dir: Path | None = None, corpus_dir: Path | None = None) -> Outcome:
    """Fit, check and put in service the model of the current corrections, if they changed."""
    started = time.perf_counter()
    directory = Path(model_dir or classifiers.default_model_dir())
    found = corrections()
    version = classifiers.corrections_version(corpus_dir, found)
    refused_mark = directory / f"refused-{version}.txt"  # judged once: not fitted nor told again every night
    with classifiers.build_lock(directory):
        in_service = classifiers.chosen_path(directory)
        if in_service == classifiers.model_path(directory, version) or refused_mark.exists():
            return Outcome("up_to_date", version, len(found))
        matcher = matcher_for()
        candidate = model.fit(classifiers.training_examples(corpus_dir, found), matcher, version)
        rows = gate_rows()
        after = figures(evaluation.evaluate(classifiers.Classifier(candidate, matcher), rows))
        if in_service.exists():
            before = figures(evaluation.evaluate(classifiers.Classifier(model.load(in_service), matcher), rows))
        else:
            before = after  # nothing in service yet: the candidate is all there is
        status = "installed" if acceptable(before, after) else "refused"
        if status == "installed":
            classifiers.install(candidate, directory)
        else:
            refused_mark.write_text(f"{before} {after}\n")
    outcome = Outcome(status, version, len(found), before, after, time.perf_counter() - started)
    _tell(outcome)
    return outcome


def _tell(outcome: Outcome) -> None:
    log.info(outcome.summary)
    details = {"version": outcome.version, "corrections": outcome.corrections, "before": outcome.before,
               "after": outcome.after, "seconds": round(outcome.seconds, 1)}  # fmt: skip

    def recorded(verb: str) -> None:
        record(None, verb, ("model", outcome.version), summary=outcome.summary, after=details,
               actor_label="apprentissage des corrections")  # fmt: skip

    with transaction.atomic():
        if outcome.status == "installed":
            recorded("triage.model_installed")
            return
        recorded("triage.model_refused")
        link = f"{reverse('audit:list')}?verb=corrections"  # the log, on these events
        notifications.notify([ADMIN], "Corrections non apprises : le nouveau modèle ferait moins bien",
                             outcome.summary, link=link, email=False)  # fmt: skip
