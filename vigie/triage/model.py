"""The linear model: TF-IDF of character n-grams and word bigrams, rule signals and the mean French word
vector of the message, read by three logistic regressions.

One multinomial regression gives the label; one binary regression, trained on the messages that name a
member of staff, says whether the mention is an attack; one binary regression, trained on abuse against
clean messages (positive or neutral, questions, requests, criticism: spam, misinformation and conflict are
not toxic language), and on the corpus's web comments (toxic or clean, off the centre's topics), gives the
toxicity. The word vectors (vectors.py) enter the fit as 300 dense
features; since the model is linear, their weights are then folded into one score per vector row and
output, so the saved model needs neither spaCy nor the vectors. A fourth regression, on the messages'
sentence embeddings, is the toxicity's second stage (encoder.py). The fitted weights are kept in a NumPy
`.npz` file (no pickle: loading it cannot run code), named after the model's version: a hash of the
corpus, of the third-party data, of the code that turns text into features and of the parameters below,
so any change rebuilds the model.
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

from vigie.triage import corpus, encoder, lexicon, signals, vectors
from vigie.triage.features import Prepared, grams, prepare
from vigie.triage.staff import StaffMatcher

LABELS = corpus.LABELS
SIGNAL_KEYS = signals.KEYS
PARAMS = {
    "min_df": 3, "C": 30.0, "attack_C": 4.0, "toxic_C": 10.0, "max_iter": 3000, "signal_weight": 0.1,
    "vector_weight": 1.0, "encoder_C": 4.0,
}  # fmt: skip
ATTACK = len(LABELS)  # column of the attack score
TOXIC = ATTACK + 1  # column of the toxicity score (abuse against clean)
OUTPUTS = TOXIC + 1
CLEAN = ("positive_neutral", "question", "complex_request", "criticism")
_HERE = Path(__file__).resolve().parent
VERSIONED_CODE = (
    "corpus.py", "encoder.py", "features.py", "lexicon.py", "model.py", "normalize.py", "signals.py", "staff.py",
    "vectors.py",
)  # fmt: skip


class ModelError(RuntimeError):
    """The model cannot be built or read; the message is for people (French)."""


def version(corpus_dir: Path | None = None, extra: Sequence[bytes] = ()) -> str:
    """A short hash of everything the fitted weights depend on."""
    digest = hashlib.sha256(repr(sorted(PARAMS.items())).encode() + encoder.version().encode())
    for name in VERSIONED_CODE:
        digest.update((_HERE / name).read_bytes())
    for path in corpus.sources(corpus_dir):
        digest.update(path.name.encode() + path.read_bytes())
    for path in (*lexicon.LISTED_SOURCES, vectors.VECTORS_FILE):
        digest.update(path.name.encode() + (path.read_bytes() if path.exists() else b"absent"))
    for blob in extra:
        digest.update(blob)
    return digest.hexdigest()[:12]


@dataclass
class Model:
    version: str
    vocabulary: dict[str, int]
    idf: np.ndarray
    weights: np.ndarray  # (vocabulary + signals) x (labels + attack + toxic)
    bias: np.ndarray
    word_rows: dict[str, int]  # folded word -> row of word_scores
    word_scores: np.ndarray  # vector rows x outputs: each vector's weights, folded in
    encoder_toxic: np.ndarray  # the second stage (encoder.py): 512 coefficients and the intercept

    def matrix(self, prepared: Sequence[Prepared]) -> sparse.csr_matrix:
        return vectorize(prepared, self.vocabulary, self.idf)

    def scores(self, prepared: Sequence[Prepared]) -> np.ndarray:
        means = vectors.mean_weights([p.normalized for p in prepared], self.word_rows, self.word_scores.shape[0])
        return np.asarray(self.matrix(prepared) @ self.weights) + np.asarray(means @ self.word_scores) + self.bias


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


def fit(
    examples: Sequence[corpus.Example],
    matcher: StaffMatcher,
    model_version: str,
    word_vectors: vectors.WordVectors | None = None,
) -> Model:
    """Fit the three regressions on labelled examples (deterministic: sorted vocabulary, lbfgs)."""
    word_vectors = word_vectors or vectors.load()
    prepared = [prepare(e.text, e.kind, e.platform, matcher) for e in examples]
    frequencies = Counter()
    for item in prepared:
        frequencies.update(set(grams(item.normalized)))
    kept = sorted(g for g, n in frequencies.items() if n >= PARAMS["min_df"])
    vocabulary = {g: i for i, g in enumerate(kept)}
    count = len(prepared)
    idf = np.array([math.log((1 + count) / (1 + frequencies[g])) + 1 for g in kept], np.float32)
    sparse_part = vectorize(prepared, vocabulary, idf)
    means = word_vectors.weights([p.normalized for p in prepared]) @ word_vectors.matrix * PARAMS["vector_weight"]
    features = sparse.hstack([sparse_part, sparse.csr_matrix(means.astype(np.float32))], format="csr")
    coefficients = np.zeros((features.shape[1], OUTPUTS), np.float32)
    bias = np.zeros(OUTPUTS, np.float32)
    domain = [i for i, e in enumerate(examples) if not e.toxicity_only]
    labels = np.array([LABELS.index(examples[i].label) for i in domain])
    coefficients[:, :ATTACK], bias[:ATTACK] = _regression(features[domain], labels, PARAMS["C"], multiclass=True)
    named = [i for i in domain if prepared[i].staff_names]
    attacks = np.array([examples[i].targets_staff for i in named])
    if len(set(attacks.tolist())) == 2:
        coefficients[:, ATTACK], bias[ATTACK] = _regression(features[named], attacks, PARAMS["attack_C"])
    else:
        bias[ATTACK] = -1.0
    judged = [i for i, e in enumerate(examples) if e.label == "abuse" or e.label in CLEAN]
    toxic = np.array([examples[i].label == "abuse" for i in judged])
    if len(set(toxic.tolist())) == 2:
        coefficients[:, TOXIC], bias[TOXIC] = _regression(features[judged], toxic, PARAMS["toxic_C"])
        embedded = encoder.SentenceEncoder.embed([examples[i].text for i in judged])
        second, intercept = _regression(embedded, toxic, PARAMS["encoder_C"])
        encoder_toxic = np.append(second, intercept).astype(np.float32)
    else:
        bias[TOXIC] = -1.0
        encoder_toxic = np.zeros(0, np.float32)
    split = sparse_part.shape[1]
    word_scores = word_vectors.matrix @ (coefficients[split:] * PARAMS["vector_weight"])
    return Model(
        model_version, vocabulary, idf, coefficients[:split], bias, word_vectors.index, word_scores, encoder_toxic
    )


def _regression(features, targets, c: float, multiclass: bool = False):
    """Coefficients (features x classes, or a vector) and intercepts of a balanced logistic regression."""
    from sklearn.linear_model import LogisticRegression

    regression = LogisticRegression(C=c, max_iter=PARAMS["max_iter"], class_weight="balanced")
    regression.fit(features, targets)
    if multiclass:
        return regression.coef_.T, regression.intercept_
    return regression.coef_[0], regression.intercept_[0]


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
                word_list=np.frombuffer("\n".join(model.word_rows).encode(), dtype=np.uint8),
                word_rows=np.fromiter(model.word_rows.values(), np.int32, len(model.word_rows)),
                word_scores=model.word_scores.astype(np.float32),
                encoder_toxic=model.encoder_toxic,
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
            vector_words = data["word_list"].tobytes().decode().split("\n")
            return Model(
                str(data["version"]),
                {w: i for i, w in enumerate(words)},
                data["idf"],
                data["weights"],
                data["bias"],
                dict(zip(vector_words, data["word_rows"].tolist(), strict=True)),
                data["word_scores"],
                data["encoder_toxic"],
            )
    except (OSError, KeyError, ValueError) as exc:
        raise ModelError(f"Modèle illisible : {path} ({exc})") from exc
