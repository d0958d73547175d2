"""The classifier inside Vigie: one per process, the staff watch-list from the database."""

import hashlib
import threading
from collections.abc import Iterable
from pathlib import Path

from vigie.accounts.models import StaffMember
from vigie.connectors.base import NormalizedMessage
from vigie.triage import playbook_defaults, signals
from vigie.triage.classifier import CURRENT, Classifier, chosen_path, default_model_dir, load_classifier
from vigie.triage.classifier import Classification as Result
from vigie.triage.models import Classification, is_mention_to_check
from vigie.triage.staff import StaffMatcher, parse_staff

_lock = threading.Lock()
_base: Classifier | None = None
_pointer: int | None = None  # the state of the model directory's pointer (current.txt) when _base was loaded
_staff_key: tuple[str, ...] | None = None
_current: Classifier | None = None


def _staff_lines() -> tuple[str, ...]:
    return tuple(member.watch_line() for member in StaffMember.objects.filter(active=True))


def _pointer_state(directory: Path) -> int | None:
    try:
        return (directory / CURRENT).stat().st_mtime_ns
    except FileNotFoundError:
        return None


def _load_if_changed() -> None:
    """Load the model in service when there is none yet, or when the nightly learning (or `vigie train`) has
    put another one in service since: its pointer file changed (one `stat` a call)."""
    global _base, _pointer, _current
    directory = default_model_dir()
    state = _pointer_state(directory)
    if _base is not None and state == _pointer:
        return
    if _base is None or chosen_path(directory).exists():
        _base, _current = load_classifier(), None
    _pointer = state


def classifier() -> Classifier:
    """The process's classifier; rebuilt (cheaply: same model) when the watch-list changes, reloaded when
    another model was put in service."""
    global _staff_key, _current
    lines = _staff_lines()
    with _lock:
        _load_if_changed()
        if _current is None or lines != _staff_key:
            matcher = StaffMatcher(parse_staff("\n".join(lines))) if lines else _base.matcher
            _current, _staff_key = Classifier(_base.model, matcher), lines
        return _current


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


class Triage:
    """Classification for a batch of incoming messages: one classifier, their texts classified together."""

    def __init__(self):
        self.classifier = classifier()
        self._results: dict[tuple[str, str, str], Result] = {}

    def prepare(self, messages: Iterable[NormalizedMessage]) -> None:
        """Classify these messages' texts now, in one go (`triage` then finds them ready)."""
        keys = {(m.text, m.kind, m.platform): None for m in messages if not m.removed}
        self._classify([key for key in keys if key not in self._results])

    def _classify(self, keys: list[tuple[str, str, str]]) -> None:
        self._results.update(zip(keys, self.classifier.classify_many(keys), strict=True))

    def result(self, text: str, kind: str, platform: str) -> Result:
        key = (text, kind, platform)
        if key not in self._results:
            self._classify([key])
        return self._results[key]

    def _values(self, message) -> dict:
        result = self.result(message.text, message.kind, message.channel.platform)
        return {
            "label": result.label,
            "confidence": result.confidence,
            "targets_staff": result.targets_staff,
            "mention_to_check": is_mention_to_check(result.label, result.targets_staff, result.signals),
            "signals": list(result.signals),
            "proposed_actions": list(result.actions),
            "priority": result.priority,
            "model_version": result.model_version,
            "text_sha256": text_sha256(message.text),
        }

    def classify(self, message) -> Classification | None:
        """Classify an incoming message (again if its text changed); our own replies are not classified."""
        if not message.incoming or message.removed:
            return None
        digest = text_sha256(message.text)
        existing = Classification.objects.filter(message=message).first()
        if existing is not None and existing.text_sha256 == digest:
            return existing
        values = self._values(message)
        if existing is None:
            return Classification.objects.create(message=message, **values)
        for field, value in values.items():
            setattr(existing, field, value)
        existing.save(update_fields=list(values))
        return existing

    def triage_new(self, messages: list) -> list[Classification]:
        """Classifications for messages just stored (incoming, none removed), in one insert."""
        return Classification.objects.bulk_create([Classification(message=m, **self._values(m)) for m in messages])


def classify(message) -> Classification | None:
    return Triage().classify(message)


PRIORITY_OF = {"low": 0, "normal": 0, "high": 1, "urgent": 2}
STAFF_ATTACK = 3  # Priority.CRITICAL: an attack on staff comes first (UI.md)


def item_priority(classification: Classification) -> int:
    """The priority a classification gives its item (an item's priority is only ever raised by it)."""
    if classification.targets_staff:
        return STAFF_ATTACK
    return PRIORITY_OF.get(classification.priority, 0)


def checked_plan(classification: Classification, kind: str) -> playbook_defaults.Plan:
    """The procedure's priority and actions for the classification as a person checked it (its label and
    « Personnel visé » as they stand now; threats and discrimination found by the model stay severe)."""
    severe = bool({signals.LABELS["threat"], signals.LABELS["discrimination"]} & set(classification.signals))
    return playbook_defaults.plan(classification.effective_label, kind, classification.targets_staff, severe)


def checked_priority(classification: Classification, kind: str) -> int:
    """The priority a checked classification gives its item."""
    if classification.targets_staff:
        return STAFF_ATTACK
    return PRIORITY_OF.get(checked_plan(classification, kind).priority, 0)
