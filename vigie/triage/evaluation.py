"""Quality figures for `vigie eval` and the quality tests, each with a bootstrap interval.

Eight-label figures (precision, recall, F1 per label, macro-F1, confusion matrix) and two-class figures of
toxic language: « abuse against clean » (toxic F1, two-class macro-F1, balanced accuracy). A row is
toxic when its `toxic` column says so, else when its label is abuse. Intervals are 95 % percentile
bootstraps; rows made from the same template are drawn together (a set without templates draws rows).
"""

import csv
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from vigie.triage.model import LABELS
from vigie.triage.playbook_defaults import INAPPROPRIATE

TRUE_WORDS = frozenset({"1", "true", "vrai", "oui", "yes", "y", "o"})
FALSE_WORDS = frozenset({"0", "false", "faux", "non", "no", "n"})
RESAMPLES = 1000
SEED = 20261130
_K = len(LABELS)
_ABUSE = LABELS.index("abuse")
_PRAISE = LABELS.index("positive_neutral")


@dataclass(frozen=True)
class Row:
    text: str
    label: str
    kind: str = "comment"
    platform: str = "facebook"
    targets_staff: bool | None = None
    template: str = ""  # rows of one template are resampled together
    toxic: bool | None = None  # None: toxic when the label is abuse
    genre: str = ""  # the kind of text (forum, tweet…): the two-class figures are also given for each


@dataclass
class Report:
    """Expected and predicted values, one entry a row; every figure takes optional row weights."""

    expected: list[int] = field(default_factory=list)
    predicted: list[int] = field(default_factory=list)
    toxic_expected: list[bool] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    staff_expected: list[bool | None] = field(default_factory=list)
    staff_predicted: list[bool] = field(default_factory=list)
    genres: list[str] = field(default_factory=list)

    def add(self, expected: str, predicted: str, toxic: bool | None = None, group: str = "", staff=None, found=False,
            genre: str = ""):  # fmt: skip
        self.expected.append(LABELS.index(expected))
        self.predicted.append(LABELS.index(predicted))
        self.toxic_expected.append(expected == "abuse" if toxic is None else toxic)
        self.groups.append(group or f"row:{len(self.groups)}")
        self.staff_expected.append(staff)
        self.staff_predicted.append(bool(found))
        self.genres.append(genre)

    # ------------------------------------------------------------ figures (weights: bootstrap draws)

    def confusion(self, weights=None) -> np.ndarray:
        codes = np.asarray(self.expected) * _K + np.asarray(self.predicted)
        return np.bincount(codes, weights=weights, minlength=_K * _K).reshape(_K, _K)

    def per_label(self, weights=None) -> dict[str, tuple[float, float, float, int]]:
        matrix = self.confusion(weights)
        figures = {}
        for i, label in enumerate(LABELS):
            right, predicted, support = matrix[i, i], matrix[:, i].sum(), matrix[i].sum()
            precision = right / predicted if predicted else 0.0
            recall = right / support if support else 0.0
            f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
            figures[label] = (float(precision), float(recall), float(f1), int(round(support)))
        return figures

    def macro_f1(self, weights=None) -> float:
        """Mean F1 over the labels present in the expected column."""
        present = [f1 for _, _, f1, support in self.per_label(weights).values() if support]
        return sum(present) / len(present) if present else 0.0

    def accuracy(self, weights=None) -> float:
        matrix = self.confusion(weights)
        return float(np.trace(matrix) / matrix.sum()) if matrix.sum() else 0.0

    def _two_class(self, weights=None) -> tuple[float, float, float, float]:
        """True positives, false positives, false negatives, true negatives of toxic (predicted: abuse)."""
        w = np.ones(len(self.expected)) if weights is None else np.asarray(weights, float)
        truth = np.asarray(self.toxic_expected, bool)
        said = np.asarray(self.predicted) == _ABUSE
        return (w[truth & said].sum(), w[~truth & said].sum(), w[truth & ~said].sum(), w[~truth & ~said].sum())

    def toxic(self, weights=None) -> tuple[float, float, float]:
        """Precision, recall and F1 of toxic language (abuse) against clean."""
        tp, fp, fn, _ = self._two_class(weights)
        precision, recall = (tp / (tp + fp) if tp + fp else 0.0), (tp / (tp + fn) if tp + fn else 0.0)
        return precision, recall, (2 * precision * recall / (precision + recall) if precision + recall else 0.0)

    def toxic_f1(self, weights=None) -> float:
        return self.toxic(weights)[2]

    def two_class_macro_f1(self, weights=None) -> float:
        tp, fp, fn, tn = self._two_class(weights)
        f_toxic = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0
        f_clean = 2 * tn / (2 * tn + fn + fp) if tn + fn + fp else 0.0
        return (f_toxic + f_clean) / 2

    def balanced_accuracy(self, weights=None) -> float:
        tp, fp, fn, tn = self._two_class(weights)
        recalls = [tp / (tp + fn)] if tp + fn else []
        recalls += [tn / (tn + fp)] if tn + fp else []
        return sum(recalls) / len(recalls) if recalls else 0.0

    def genre_names(self) -> list[str]:
        """The kinds of text of a set that names more than one (its `genre` column), else none."""
        names = sorted(set(self.genres) - {""})
        return names if len(names) > 1 else []

    def in_genre(self, genre: str, weights=None) -> np.ndarray:
        """Row weights that keep only the rows of one kind of text (a figure's `weights`)."""
        w = np.ones(len(self.expected)) if weights is None else np.asarray(weights, float)
        return w * (np.asarray(self.genres) == genre)

    def genre_balanced_accuracy(self, weights=None) -> float | None:
        """The mean over the kinds of text of their balanced accuracy (None: one kind of text only)."""
        names = self.genre_names()
        if not names:
            return None
        return sum(self.balanced_accuracy(self.in_genre(name, weights)) for name in names) / len(names)

    def inappropriate_f1(self) -> float:
        """F1 of any of the four inappropriate labels against the rest (the older, wider figure)."""
        matrix = self.confusion()
        bad = [LABELS.index(label) for label in INAPPROPRIATE]
        good = [i for i in range(_K) if i not in bad]
        tp, fp, fn = matrix[np.ix_(bad, bad)].sum(), matrix[np.ix_(good, bad)].sum(), matrix[np.ix_(bad, good)].sum()
        return float(2 * tp / (2 * tp + fp + fn)) if tp + fp + fn else 0.0

    def attack_recall(self, weights=None) -> float | None:
        """Share of the rows marked as attacks on staff that the classifier found (None: no such row)."""
        return self._taken_for_attacks(True, weights)

    def staff_false_alarms(self, weights=None) -> float | None:
        """Share of the rows marked as not attacking staff (praise, questions…) that the classifier took for an
        attack (None: no such row)."""
        return self._taken_for_attacks(False, weights)

    def praise_false_alarms(self, weights=None) -> float | None:
        """The same, among the rows labelled positive or neutral only: praise of a named person taken for an
        attack (the figure issue #13 wants at zero)."""
        return self._taken_for_attacks(False, weights, _PRAISE)

    def _taken_for_attacks(self, marked: bool, weights, label: int | None = None) -> float | None:
        """Among the rows whose `targets_staff` is `marked` (and whose expected label is `label`, if given), the
        (weighted) share the classifier took for attacks."""
        w = np.ones(len(self.expected)) if weights is None else np.asarray(weights, float)
        rows = np.array([s is marked for s in self.staff_expected], bool)
        if label is not None:
            rows &= np.asarray(self.expected) == label
        if not rows.any() or not w[rows].sum():
            return None
        return float(w[rows & np.asarray(self.staff_predicted)].sum() / w[rows].sum())

    def staff_accuracy(self) -> float | None:
        judged = [(e, p) for e, p in zip(self.staff_expected, self.staff_predicted, strict=True) if e is not None]
        return sum(e == p for e, p in judged) / len(judged) if judged else None

    # ------------------------------------------------------------ intervals

    def templates(self) -> int:
        return len(set(self.groups))

    def interval(self, figure, resamples: int = RESAMPLES, seed: int = SEED) -> tuple[float, float]:
        """95 % bootstrap interval of `figure` (a method of Report taking weights), drawing whole templates."""
        names, index = np.unique(np.asarray(self.groups), return_inverse=True)
        rng = np.random.default_rng(seed)
        values = []
        for _ in range(resamples):
            drawn = np.bincount(rng.integers(0, len(names), len(names)), minlength=len(names))
            value = figure(drawn[index].astype(float))
            if value is not None:
                values.append(value)
        if not values:
            return (0.0, 0.0)
        low, high = np.percentile(values, [2.5, 97.5])
        return float(low), float(high)

    def figures(self) -> dict[str, tuple[float, float, float]]:
        """The headline figures with their intervals: name -> (value, low, high)."""
        out = {}
        for name, figure in (
            ("macro_f1", self.macro_f1), ("toxic_f1", self.toxic_f1), ("two_class_macro_f1", self.two_class_macro_f1),
            ("balanced_accuracy", self.balanced_accuracy), ("attack_recall", self.attack_recall),
            ("staff_false_alarms", self.staff_false_alarms), ("praise_false_alarms", self.praise_false_alarms),
            ("genre_balanced_accuracy", self.genre_balanced_accuracy),
        ):  # fmt: skip
            value = figure()
            if value is not None:
                out[name] = (value, *self.interval(figure))
        return out

    def lines(self) -> list[str]:
        out = [f"{'label':<18}{'precision':>10}{'recall':>8}{'f1':>8}{'n':>6}"]
        for label, (precision, recall, f1, support) in self.per_label().items():
            out.append(f"{label:<18}{precision:>10.3f}{recall:>8.3f}{f1:>8.3f}{support:>6}")
        figures = self.figures()

        def show(name):
            value, low, high = figures[name]
            return f"{name}={value:.3f} [{low:.3f}–{high:.3f}]"

        out.append(f"{show('macro_f1')} accuracy={self.accuracy():.3f}")
        precision, recall, _ = self.toxic()
        out.append(
            f"{show('toxic_f1')} precision={precision:.3f} recall={recall:.3f} {show('two_class_macro_f1')} "
            f"{show('balanced_accuracy')} (abuse against clean, n={sum(self.toxic_expected)} toxic)"
        )
        for genre in self.genre_names():
            w = self.in_genre(genre)
            out.append(
                f"  {genre}: toxic_f1={self.toxic_f1(w):.3f} two_class_macro_f1={self.two_class_macro_f1(w):.3f} "
                f"balanced_accuracy={self.balanced_accuracy(w):.3f} (n={int(w.sum())})"
            )
        if "genre_balanced_accuracy" in figures:
            out.append(f"{show('genre_balanced_accuracy')} (mean over the {len(self.genre_names())} kinds of text)")
        out.append(f"inappropriate_f1={self.inappropriate_f1():.3f} (spam, abuse, misinformation, conflict against "
                   "the rest)")  # fmt: skip
        out.append(f"intervals: 95 % bootstrap, {RESAMPLES} draws of {self.templates()} templates or rows")
        out.append("")
        short = [label[:8] for label in LABELS]
        out.append("confusion (lignes : attendu, colonnes : prédit)")
        out.append(f"{'':<18}" + "".join(f"{s:>9}" for s in short))
        matrix = self.confusion()
        for i, expected in enumerate(LABELS):
            out.append(f"{expected:<18}" + "".join(f"{int(n):>9}" for n in matrix[i]))
        judged = sum(e is not None for e in self.staff_expected)
        if judged:
            out.append("")
            out.append(f"targets_staff_accuracy={self.staff_accuracy():.3f} (n={judged})")
        if "attack_recall" in figures:
            attacks = sum(e is True for e in self.staff_expected)
            out.append(f"targets_staff_recall_on_attacks: {show('attack_recall')} (n={attacks})")
        if "staff_false_alarms" in figures:
            spared = sum(e is False for e in self.staff_expected)
            out.append(f"targets_staff_false_alarms: {show('staff_false_alarms')} (n={spared} not attacks)")
        if "praise_false_alarms" in figures:
            praised = sum(e is False and x == _PRAISE for e, x in zip(self.staff_expected, self.expected, strict=True))
            out.append(f"targets_staff_false_alarms_on_praise: {show('praise_false_alarms')} (n={praised} positive or "
                       "neutral)")  # fmt: skip
        return out


DRAWN_FIGURES = (
    "macro_f1", "toxic_f1", "two_class_macro_f1", "balanced_accuracy", "attack_recall", "staff_false_alarms",
    "praise_false_alarms", "genre_balanced_accuracy", "inappropriate_f1",
)  # fmt: skip


def across_draws(reports: dict[int, Report]) -> list[str]:
    """One line a figure over models fitted on several random draws of the corpus: the mean, the range,
    the first draw's bootstrap interval, then each draw's value (in the order of `reports`)."""
    seeds = list(reports)
    first = reports[seeds[0]]
    out = [f"{'figure':<24}{'mean':>7}{'min–max':>14}  {f'95 % ({seeds[0]})':<17}" + "".join(f"{s:>10}" for s in seeds)]
    for name in DRAWN_FIGURES:
        values = [getattr(report, name)() for report in reports.values()]
        if any(value is None for value in values):
            continue
        low, high = first.interval(getattr(first, name)) if name != "inappropriate_f1" else (None, None)
        interval = f"[{low:.3f}–{high:.3f}]" if low is not None else "—"
        out.append(
            f"{name:<24}{np.mean(values):>7.3f}{f'{min(values):.3f}–{max(values):.3f}':>14}  {interval:<17}"
            + "".join(f"{value:>10.3f}" for value in values)
        )
    return out


def parse_bool(value) -> bool | None:
    text = str(value or "").strip().lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    return None


def read_rows(path: Path) -> list[Row]:
    """Rows of a CSV with columns text,label and optionally kind, platform, targets_staff, template, toxic, genre."""
    with open(path, newline="", encoding="utf-8-sig") as stream:
        reader = csv.DictReader(stream)
        missing = {"text", "label"} - set(reader.fieldnames or ())
        if missing:
            raise ValueError(f"colonne(s) manquante(s) dans {path} : {', '.join(sorted(missing))}")
        rows = []
        for number, record in enumerate(reader, start=2):
            label = (record.get("label") or "").strip()
            if label not in LABELS:
                raise ValueError(f"ligne {number} : label inconnu {label!r} (attendu : {', '.join(LABELS)})")
            rows.append(
                Row(
                    text=record.get("text") or "",
                    label=label,
                    kind=(record.get("kind") or "comment").strip() or "comment",
                    platform=(record.get("platform") or "facebook").strip() or "facebook",
                    targets_staff=parse_bool(record.get("targets_staff")),
                    template=(record.get("template") or "").strip(),
                    toxic=parse_bool(record.get("toxic")),
                    genre=(record.get("genre") or "").strip(),
                )
            )
        return rows


def corpus_rows(examples) -> list[Row]:
    """Generated corpus examples as evaluation rows, with their templates."""
    return [Row(e.text, e.label, e.kind, e.platform, e.targets_staff, e.template) for e in examples]


def evaluate(classifier, rows: list[Row]) -> Report:
    report = Report()
    results = classifier.classify_many([(r.text, r.kind, r.platform) for r in rows])
    for row, result in zip(rows, results, strict=True):
        report.add(row.label, result.label, row.toxic, row.template, row.targets_staff, result.targets_staff, row.genre)
    return report


# ---------------------------------------------------------------- leakage between training and evaluation


def shingles(text: str, size: int = 5) -> frozenset[str]:
    """Character 5-grams of the normalised text (the unit of the near-duplicate check)."""
    from vigie.triage.normalize import normalize

    padded = f" {normalize(text)} "
    return frozenset(padded[i : i + size] for i in range(max(1, len(padded) - size + 1)))


def near_duplicates(evaluated: list[str], training: list[str], threshold: float = 0.5) -> list[tuple[str, str, float]]:
    """(evaluation text, training text, Jaccard) for each evaluation text within `threshold` of a training one."""
    index: dict[str, list[int]] = {}
    train_sets = [shingles(text) for text in training]
    for i, grams in enumerate(train_sets):
        for gram in grams:
            index.setdefault(gram, []).append(i)
    found = []
    for text in evaluated:
        grams = shingles(text)
        shared: dict[int, int] = {}
        for gram in grams:
            for i in index.get(gram, ()):
                shared[i] = shared.get(i, 0) + 1
        best, best_score = None, 0.0
        for i, common in shared.items():
            score = common / (len(grams) + len(train_sets[i]) - common)
            if score > best_score:
                best, best_score = i, score
        if best is not None and best_score >= threshold:
            found.append((text, training[best], round(best_score, 3)))
    return found
