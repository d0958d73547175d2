"""Split the FTR dataset (French tweets annotated for racist speech, NataliaVanetik/FTR-dataset, MIT) into a
frozen evaluation set of real text and a training part.

Run once, by hand, on the dataset's CSV (id,tweet,label; the dataset is on GitHub only, not on a package index):

    python -m vigie.triage.ftr FTR_new_labels.csv [TRAINING.csv]

It writes `data/eval/blind_ftr.csv` (frozen: the same dataset gives the same file) and, when asked, the training
part as web comments (columns text,toxic): put in a copy of the corpus's `web/` folder, `vigie eval --corpus`
measures a model that learns them (docs/triage.md, « Des tweets réels »; the model in service does not).

The split is fixed by the text alone (a hash of its normalized form): 30 % evaluation, 70 % training. An
evaluation tweet within a character 5-gram Jaccard of 0.5 of a training example (the corpus, its web comments
and the training tweets) is left out. A training tweet labelled 0 ("not racist") on which the public swear-word
lists fire is left out too: not racist is not the same as clean.
"""

import csv
import hashlib
import io
import sys
from pathlib import Path

from vigie.triage import evaluation, normalize, signals

EVALUATION_SHARE = 30  # per cent
EVALUATION_FILE = Path(__file__).resolve().parent / "data" / "eval" / "blind_ftr.csv"


def read(path: Path) -> list[tuple[str, bool]]:
    """(text, racist) for each tweet, quotes and broken trailing bytes trimmed, each text kept once (a text
    labelled both ways is dropped)."""
    decoded = Path(path).read_bytes().decode("utf-8", errors="replace")
    labels: dict[str, set[bool]] = {}
    texts: dict[str, str] = {}
    for row in csv.DictReader(io.StringIO(decoded, newline="")):
        text = row["tweet"].replace("\ufffd", "").strip().strip('"').strip()
        if not text:
            continue
        key = normalize.normalize(text)
        texts.setdefault(key, text)
        labels.setdefault(key, set()).add(row["label"].strip() == "1")
    return [(texts[key], next(iter(found))) for key, found in labels.items() if len(found) == 1]


def in_evaluation(text: str) -> bool:
    digest = hashlib.sha256(normalize.normalize(text).encode()).digest()
    return int.from_bytes(digest[:4], "big") % 100 < EVALUATION_SHARE


def swears(text: str) -> bool:
    return "listed_swear" in signals.detect(text, normalize.normalize(text))


def split(tweets: list[tuple[str, bool]], other_training: list[str]) -> tuple[list, list]:
    evaluated, rest = [], []
    for tweet in tweets:
        (evaluated if in_evaluation(tweet[0]) else rest).append(tweet)
    taught = other_training + [text for text, _ in rest]
    copies = {text for text, _, _ in evaluation.near_duplicates([text for text, _ in evaluated], taught)}
    training = [(text, racist) for text, racist in rest if racist or not swears(text)]
    return [t for t in evaluated if t[0] not in copies], training


def write_evaluation(rows: list[tuple[str, bool]], path: Path) -> None:
    with Path(path).open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["text", "label", "toxic", "genre"])
        for text, racist in rows:
            writer.writerow([text, "abuse" if racist else "positive_neutral", int(racist), "tweet"])


def write_training(rows: list[tuple[str, bool]], path: Path) -> None:
    with Path(path).open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["text", "toxic"])
        for text, racist in rows:
            writer.writerow([text, int(racist)])


def main(arguments: list[str]) -> None:
    from vigie.triage.classifier import training_examples

    tweets = read(Path(arguments[0]))
    evaluated, training = split(tweets, [e.text for e in training_examples()])
    write_evaluation(evaluated, EVALUATION_FILE)
    if len(arguments) > 1:
        write_training(training, Path(arguments[1]))
    print(f"{len(tweets)} tweets : {len(evaluated)} pour l'évaluation, {len(training)} pour l'apprentissage")


if __name__ == "__main__":
    main(sys.argv[1:])
