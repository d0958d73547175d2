"""French word vectors, taken once at build time from spaCy's `fr_core_news_md` into a NumPy file.

`make` runs `python -m vigie.triage.vectors` (spaCy is needed for that step only). The file keeps, for
every word in the form `normalize` gives (lower case, no accents), the row of its vector, and the 20,000
unit-length vectors themselves (float16). Fitting the model reads it; the fitted model keeps only one
score per vector row and output (see model.py), so neither spaCy nor this file is read at run time.

The vectors were trained by Explosion on real French web text (licence of the package: LGPL-LR, see
docs/triage.md).
"""

import re
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import sparse

from vigie.triage.normalize import fold

VENDOR_DIR = Path(__file__).resolve().parent / "data" / "vendor"
VECTORS_FILE = VENDOR_DIR / "fr_word_vectors.npz"
SPACY_PACKAGE = "fr_core_news_md"
WORD = re.compile(r"[a-z]+")
_KEEP = re.compile(r"[a-z]+(?:['-][a-z]+)*")


class VectorsMissing(RuntimeError):
    """The vectors file is absent; the message is for people (French)."""


@dataclass
class WordVectors:
    index: dict[str, int]  # folded word -> row of `matrix`
    matrix: np.ndarray  # rows x dimensions, unit length

    def weights(self, texts) -> sparse.csr_matrix:
        """Texts x rows: 1/n for each of the n known words of a text (its mean vector is this @ matrix)."""
        return mean_weights(texts, self.index, self.matrix.shape[0])


def mean_weights(texts, index: dict[str, int], rows: int) -> sparse.csr_matrix:
    """Texts (normalised) x vector rows, each known word weighing 1/(known words in its text)."""
    get = index.get
    data: list[float] = []
    columns: list[int] = []
    pointers = [0]
    for text in texts:
        found = [r for r in map(get, WORD.findall(text)) if r is not None]
        if found:
            data += [1.0 / len(found)] * len(found)
            columns += found
        pointers.append(len(columns))
    matrix = sparse.csr_matrix(
        (np.asarray(data, np.float32), np.asarray(columns, np.int32), np.asarray(pointers, np.int64)),
        shape=(len(pointers) - 1, rows),
    )
    matrix.sum_duplicates()
    return matrix


def load(path: Path = VECTORS_FILE) -> WordVectors:
    if not Path(path).exists():
        raise VectorsMissing(
            f"Vecteurs de mots absents ({path}) : lancez « make install » (ou « python -m vigie.triage.vectors »)."
        )
    with np.load(path, allow_pickle=False) as data:
        words = data["words"].tobytes().decode().split("\n")
        return WordVectors(dict(zip(words, data["rows"].tolist(), strict=True)), data["matrix"].astype(np.float32))


def extract(path: Path = VECTORS_FILE) -> int:
    """Read spaCy's vectors and write the file; returns the number of words kept."""
    import spacy  # build time only

    nlp = spacy.load(SPACY_PACKAGE, exclude=["tok2vec", "morphologizer", "parser", "senter", "ner",
                                              "attribute_ruler", "lemmatizer"])  # fmt: skip
    table = nlp.vocab.vectors
    chosen: dict[str, tuple[bool, int]] = {}  # folded word -> (was already lower case, row)
    for key, row in table.key2row.items():
        original = nlp.vocab.strings[key]
        word = fold(original)
        if not _KEEP.fullmatch(word):
            continue
        lower = original == original.lower()
        if word not in chosen or (lower and not chosen[word][0]):
            chosen[word] = (lower, int(row))
    matrix = np.asarray(table.data, np.float32)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    words = sorted(chosen)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp.npz")
    np.savez_compressed(
        temporary,
        words=np.frombuffer("\n".join(words).encode(), dtype=np.uint8),
        rows=np.array([chosen[w][1] for w in words], np.int32),
        matrix=(matrix / norms).astype(np.float16),
        source=np.array(f"{SPACY_PACKAGE} {nlp.meta.get('version', '')}"),
    )
    temporary.replace(path)
    return len(words)


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else VECTORS_FILE
    print(f"{extract(target)} mots, vecteurs écrits dans {target}")
