"""The linear model: TF-IDF of character n-grams and word bigrams plus rule signals, two logistic regressions.

One multinomial regression gives the label; one binary regression, trained on the messages that name a
member of staff, says whether the mention is an attack. The fitted weights are kept in a NumPy `.npz`
file (no pickle: loading it cannot run code), named after the model's version: a hash of the corpus, of
the code that turns text into features and of the parameters below, so any change rebuilds the model.
"""

import hashlib
import math
import os
import tempfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import sparse

from vigie.triage import corpus, signals
from vigie.triage.features import Prepared, grams, prepare
from vigie.triage.staff import StaffMatcher

LABELS = corpus.LABELS
SIGNAL_KEYS = signals.KEYS
PARAMS = {"min_df": 3, "C": 30.0, "attack_C": 4.0, "max_iter": 3000, "signal_weight": 0.1}
ATTACK = len(LABELS)  # column of the attack score
_HERE = Path(__file__).resolve().parent
VERSIONED_CODE = ("corpus.py", "features.py", "lexicon.py", "model.py", "normalize.py", "signals.py", "staff.py")


class ModelError(RuntimeError):
    """The model cannot be built or read; the message is for people (French)."""


def version(corpus_dir: Path | None = None, extra: Sequence[bytes] = ()) -> str:
    """A short hash of everything the fitted weights depend on."""
    digest = hashlib.sha256(repr(sorted(PARAMS.items())).encode())
    for name in VERSIONED_CODE:
        digest.update((_HERE / name).read_bytes())
    for path in corpus.sources(corpus_dir):
        digest.update(path.name.encode() + path.read_bytes())
    for blob in extra:
        digest.update(blob)
    return digest.hexdigest()[:12]


@dataclass
class Model:
    version: str
    vocabulary: dict[str, int]
    idf: np.ndarray
    weights: np.ndarray  # (vocabulary + signals) x (labels + attack)
    bias: np.ndarray

    def matrix(self, prepared: Sequence[Prepared]) -> sparse.csr_matrix:
        return vectorize(prepared, self.vocabulary, self.idf)

    def scores(self, prepared: Sequence[Prepared]) -> np.ndarray:
        return np.asarray(self.matrix(prepared) @ self.weights) + self.bias


def vectorize(prepared: Sequence[Prepared], vocabulary: dict[str, int], idf: np.ndarray) -> sparse.csr_matrix:
    """Rows: l2-normalised sublinear TF-IDF of the n-grams, then the signals (0 or signal_weight)."""
    get = vocabulary.get
    size = len(vocabulary)
    signal_index = {key: size + i for i, key in enumerate(SIGNAL_KEYS)}
    columns: list[int] = []
    pointers = [0]
    for item in prepared:
        columns += [i for i in map(get, grams(item.normalized)) if i is not None]
        pointers.append(len(columns))
    text = sparse.csr_matrix(
        (np.ones(len(columns), np.float32), np.asarray(columns, np.int32), np.asarray(pointers, np.int64)),
        shape=(len(prepared), size),
    )
    text.sum_duplicates()
    text.data = (1.0 + np.log(text.data)) * idf[text.indices]
    norms = np.sqrt(np.asarray(text.multiply(text).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    text = sparse.diags((1.0 / norms).astype(np.float32)) @ text
    rows, cols = [], []
    for row, item in enumerate(prepared):
        for key in item.signal_keys:
            rows.append(row)
            cols.append(signal_index[key] - size)
    flags = sparse.csr_matrix(
        (np.full(len(rows), PARAMS["signal_weight"], np.float32), (rows, cols)), shape=(len(prepared), len(SIGNAL_KEYS))
    )
    return sparse.hstack([text, flags], format="csr", dtype=np.float32)


def fit(examples: Sequence[corpus.Example], matcher: StaffMatcher, model_version: str) -> Model:
    """Fit both regressions on labelled examples (deterministic: sorted vocabulary, lbfgs)."""
    from sklearn.linear_model import LogisticRegression

    prepared = [prepare(e.text, e.kind, e.platform, matcher) for e in examples]
    frequencies = Counter()
    for item in prepared:
        frequencies.update(set(grams(item.normalized)))
    kept = sorted(g for g, n in frequencies.items() if n >= PARAMS["min_df"])
    vocabulary = {g: i for i, g in enumerate(kept)}
    count = len(prepared)
    idf = np.array([math.log((1 + count) / (1 + frequencies[g])) + 1 for g in kept], np.float32)
    features = vectorize(prepared, vocabulary, idf)
    labels = np.array([LABELS.index(e.label) for e in examples])
    classifier = LogisticRegression(C=PARAMS["C"], max_iter=PARAMS["max_iter"], class_weight="balanced")
    classifier.fit(features, labels)
    weights = np.zeros((features.shape[1], ATTACK + 1), np.float32)
    bias = np.zeros(ATTACK + 1, np.float32)
    weights[:, :ATTACK] = classifier.coef_.T
    bias[:ATTACK] = classifier.intercept_
    named = [i for i, item in enumerate(prepared) if item.staff_names]
    attacks = np.array([examples[i].targets_staff for i in named])
    if len(set(attacks.tolist())) == 2:
        detector = LogisticRegression(C=PARAMS["attack_C"], max_iter=PARAMS["max_iter"], class_weight="balanced")
        detector.fit(features[named], attacks)
        weights[:, ATTACK] = detector.coef_[0]
        bias[ATTACK] = detector.intercept_[0]
    else:
        bias[ATTACK] = -1.0
    return Model(model_version, vocabulary, idf, weights, bias)


def save(model: Model, path: Path) -> None:
    """Write atomically: a process reading the directory never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    vocabulary = sorted(model.vocabulary, key=model.vocabulary.get)
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".npz.tmp")
    os.close(handle)
    try:
        with open(temporary, "wb") as stream:
            np.savez_compressed(
                stream,
                version=np.array(model.version),
                labels=np.array(LABELS),
                signal_keys=np.array(SIGNAL_KEYS),
                vocabulary=np.frombuffer("\n".join(vocabulary).encode(), dtype=np.uint8),
                idf=model.idf,
                weights=model.weights,
                bias=model.bias,
            )
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def load(path: Path) -> Model:
    try:
        with np.load(path, allow_pickle=False) as data:
            if tuple(data["labels"].tolist()) != LABELS or tuple(data["signal_keys"].tolist()) != SIGNAL_KEYS:
                raise ModelError(f"Le modèle {path} ne correspond pas à cette version de Vigie : reconstruisez-le.")
            words = data["vocabulary"].tobytes().decode().split("\n")
            return Model(
                str(data["version"]),
                {w: i for i, w in enumerate(words)},
                data["idf"],
                data["weights"],
                data["bias"],
            )
    except (OSError, KeyError, ValueError) as exc:
        raise ModelError(f"Modèle illisible : {path} ({exc})") from exc
