"""From a raw message to what the model reads: normalised text, n-grams and rule signals.

Staff names are replaced by one token before the model sees the text, so that the label never depends
on which person is named and the watch-list can change without retraining.
"""

from dataclasses import dataclass

from vigie.triage import signals
from vigie.triage.normalize import fold_case, normalize_folded
from vigie.triage.staff import StaffMatcher

STAFF_TOKEN = " stafftoken "  # noqa: S105 - a placeholder word, not a secret


@dataclass(frozen=True)
class Prepared:
    normalized: str
    signal_keys: tuple[str, ...]
    staff_names: tuple[str, ...]


def prepare(text: str, kind: str, platform: str, matcher: StaffMatcher) -> Prepared:
    folded = fold_case(text)
    mentions = matcher.find(folded)
    names: list[str] = []
    for mention in sorted(mentions, key=lambda m: m.start):
        if mention.member.name not in names:
            names.append(mention.member.name)
    normalized = normalize_folded(matcher.mask(folded, mentions, STAFF_TOKEN) if mentions else folded)
    keys = signals.detect(text, normalized, kind, platform, staff=bool(names))
    return Prepared(normalized, tuple(keys), tuple(names))


def grams(text: str) -> list[str]:
    """Character 4- and 5-grams of the padded text, plus words and word bigrams."""
    padded = f" {text} "
    size = len(padded)
    out = [padded[i : i + 4] for i in range(size - 3)]
    out += [padded[i : i + 5] for i in range(size - 4)]
    words = text.split()
    out += words
    out += [f"{a}|{b}" for a, b in zip(words, words[1:], strict=False)]
    return out
