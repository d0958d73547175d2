"""The classifier of DESIGN §2: label, confidence, targets_staff, signals, priority and actions.

    clf = load_classifier()                      # builds the model in DATA_DIR/models if it is missing
    c = clf.classify("c koi le prix stp ?", kind="comment", platform="facebook")
    c.label, c.confidence, c.targets_staff, c.signals, c.priority, c.actions, c.model_version

Pure and deterministic: no database, no network, the same input always gives the same output.
"""

import contextlib
import fcntl
import logging
import os
import time
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from vigie.triage import corpus, encoder, model, playbook_defaults, signals
from vigie.triage.features import prepare
from vigie.triage.model import ATTACK, CLEAN, LABELS, TOXIC, ModelError
from vigie.triage.staff import StaffMatcher, matcher_for
from vigie.vocabulary import KINDS, PLATFORMS

log = logging.getLogger(__name__)
BATCH = 1024
CURRENT = "current.txt"  # names the model `vigie train` built last, when it differs from the default one


@dataclass(frozen=True)
class Classification:
    label: str
    confidence: float
    targets_staff: bool
    signals: list[str]
    model_version: str
    priority: str
    actions: list[str]
    toxicity: float = 0.0  # probability of toxic language (abuse against clean), from its own regression(s)

    def as_dict(self) -> dict:
        return asdict(self)


class Classifier:
    def __init__(self, fitted: model.Model, matcher: StaffMatcher):
        self.model = fitted
        self.matcher = matcher

    @property
    def version(self) -> str:
        return self.model.version

    def classify(self, text: str, kind: str = "comment", platform: str = "facebook") -> Classification:
        return self.classify_many([{"text": text, "kind": kind, "platform": platform}])[0]

    def classify_many(self, items: Iterable) -> list[Classification]:
        """Items are texts, (text, kind, platform) tuples or dicts with text and optional kind, platform."""
        results: list[Classification] = []
        batch: list[tuple[str, str, str]] = []
        for item in items:
            batch.append(_fields(item))
            if len(batch) == BATCH:
                results += self._classify_batch(batch)
                batch = []
        if batch:
            results += self._classify_batch(batch)
        return results

    def _classify_batch(self, batch: list[tuple[str, str, str]]) -> list[Classification]:
        prepared = [prepare(text, kind, platform, self.matcher) for text, kind, platform in batch]
        scores = self.model.scores(prepared)
        label_scores = scores[:, :ATTACK]
        exp = np.exp(label_scores - label_scores.max(axis=1, keepdims=True))
        probabilities = exp / exp.sum(axis=1, keepdims=True)
        attacks = scores[:, ATTACK] > 0
        decides = np.isin(probabilities.argmax(axis=1), _DECIDED_BY_TOXICITY)  # see _label_index
        fast_toxicity = 1.0 / (1.0 + np.exp(-scores[:, TOXIC]))
        toxicity = encoder.refine(fast_toxicity, self.model.encoder_toxic, [text for text, _, _ in batch], decides)
        results = []
        for row, (item, (_, kind, _)) in enumerate(zip(prepared, batch, strict=True)):
            best = _label_index(probabilities[row], toxicity[row])
            label = LABELS[best]
            targets_staff = bool(item.staff_names) and bool(attacks[row]) and label not in NOT_STAFF_ATTACKS
            severe = "threat" in item.signal_keys or "discrimination" in item.signal_keys
            plan = playbook_defaults.plan(label, kind, targets_staff, severe)
            results.append(
                Classification(
                    label=label,
                    confidence=round(float(probabilities[row, best]), 4),
                    targets_staff=targets_staff,
                    signals=signals.describe(item.signal_keys, item.staff_names),
                    model_version=self.model.version,
                    priority=plan.priority,
                    actions=plan.actions,
                    toxicity=round(float(toxicity[row]), 4),
                )
            )
        return results


_ABUSE = LABELS.index("abuse")
_CLEAN = frozenset(LABELS.index(label) for label in CLEAN)
_DECIDED_BY_TOXICITY = np.array(sorted(_CLEAN | {_ABUSE}))
# Naming a member of staff in praise, or in an exchange between participants (a polemic, a defence:
# « arrêtez de traiter X de… »), is not attacking them; the corpus marks attacks in no such message.
NOT_STAFF_ATTACKS = frozenset({"positive_neutral", "conflict"})


def _label_index(probabilities: np.ndarray, toxicity: float) -> int:
    """The label, with the toxicity regression settling abuse against the clean labels.

    A clean label (positive, question, request, criticism) over toxic language becomes abuse; abuse in
    language the toxicity regression finds clean gives way to the next label. Spam, misinformation and
    conflict are left to the label regression alone.
    """
    best = int(probabilities.argmax())
    if toxicity > 0.5 and best in _CLEAN:
        return _ABUSE
    if toxicity < 0.5 and best == _ABUSE:
        return int(np.argsort(-probabilities)[1])
    return best


def _fields(item) -> tuple[str, str, str]:
    if isinstance(item, str):
        return item, "comment", "facebook"
    if isinstance(item, dict):
        text, kind, platform = item.get("text"), item.get("kind"), item.get("platform")
    else:
        text, kind, platform = (tuple(item) + (None, None))[:3]
    if not isinstance(text, str):
        raise ValueError("« text » doit être un texte")
    kind = kind if kind in KINDS else "comment"
    platform = platform if platform in PLATFORMS else "facebook"
    return text, kind, platform


# ---------------------------------------------------------------- where models live, building, loading


def default_model_dir() -> Path:
    """DATA_DIR/models (settings), or ./var/models when Django is not configured."""
    try:
        from django.conf import settings

        return Path(settings.DATA_DIR) / "models"
    except Exception:  # noqa: BLE001 - settings absent or not configured: the embedded default
        return Path("var").resolve() / "models"


def model_path(directory: Path, version: str) -> Path:
    return Path(directory) / f"classifier-{version}.npz"


def training_examples(
    corpus_dir: Path | None = None, corrections: list | None = None, split: str = "all", seed: int = corpus.SEED
):
    examples = corpus.generate(split, seed=seed, directory=corpus_dir) + corpus.web_examples(corpus_dir)
    return examples + list(corrections or [])


def fitted_on_draw(seed: int, split: str = "all", corpus_dir: Path | None = None, staff_file: Path | None = None,
                   corrections: list | None = None):  # fmt: skip
    """A classifier fitted, not saved, on one random draw of the corpus, plus corrections if any (`vigie eval
    --seeds`, `--learn-from`)."""
    matcher = matcher_for(staff_file)
    examples = training_examples(corpus_dir, corrections, split=split, seed=seed)
    return Classifier(model.fit(examples, matcher, f"{split}-seed-{seed}"), matcher)


def corrections_version(corpus_dir: Path | None = None, corrections: list | None = None) -> str:
    """The version of the model fitted on the corpus plus these corrections (the default one without any)."""
    extra = [repr((c.text, c.label, c.kind, c.platform)).encode() for c in corrections or []]
    return model.version(corpus_dir, extra)


def build(
    model_dir: Path | None = None,
    corpus_dir: Path | None = None,
    corrections: list | None = None,
    staff_file: Path | None = None,
) -> tuple[Path, model.Model, float]:
    """Fit the model on the whole corpus (plus corrections) and save it; returns path, model, seconds."""
    started = time.perf_counter()
    version = corrections_version(corpus_dir, corrections)
    fitted = model.fit(training_examples(corpus_dir, corrections), matcher_for(staff_file), version)
    path = install(fitted, Path(model_dir or default_model_dir()))
    return path, fitted, time.perf_counter() - started


def install(fitted: model.Model, directory: Path) -> Path:
    """Save the model and make it the one every process loads (`chosen_path`)."""
    path = model_path(directory, fitted.version)
    model.save(fitted, path)
    default = model.version()
    if fitted.version != default:  # written whole or not at all: other processes read it at every call
        pointer = directory / f"{CURRENT}.tmp"
        pointer.write_text(f"{fitted.version} {default}\n")
        os.replace(pointer, directory / CURRENT)
    elif (directory / CURRENT).exists():
        (directory / CURRENT).unlink()
    return path


def chosen_path(directory: Path) -> Path:
    """The model `vigie train` (or the nightly learning) built last if it derives from this code, else the
    default one."""
    default = model.version()
    pointer = directory / CURRENT
    if pointer.exists():
        parts = pointer.read_text().split()
        if len(parts) == 2 and parts[1] == default and model_path(directory, parts[0]).exists():
            return model_path(directory, parts[0])
    return model_path(directory, default)


@contextlib.contextmanager
def build_lock(directory: Path) -> Iterator[None]:
    """One builder at a time in a model directory (web server, worker, test workers): the others wait."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / ".build.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def load_classifier(staff_file: Path | None = None, model_dir: Path | None = None) -> Classifier:
    """The classifier with the current model, built first (half a minute) when it is missing.

    Processes starting together build it once: the first one takes the directory's lock and builds,
    the others wait for it and then read the file.
    """
    directory = Path(model_dir or default_model_dir())
    matcher = matcher_for(staff_file)
    path = chosen_path(directory)
    if not path.exists():
        with build_lock(directory):
            path = chosen_path(directory)
            if not path.exists():
                log.info("Modèle de classement absent (%s) : construction…", path.name)
                try:
                    path, fitted, seconds = build(directory)
                except (OSError, ValueError, ImportError, RuntimeError) as exc:
                    raise ModelError(
                        f"Impossible de construire le modèle de classement dans {directory} : {exc}"
                    ) from exc
                log.info("Modèle %s construit en %.1f s", fitted.version, seconds)
                return Classifier(fitted, matcher)
    return Classifier(model.load(path), matcher)
