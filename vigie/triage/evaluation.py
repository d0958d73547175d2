"""Quality figures for `vigie eval` and the quality tests: per-label precision, recall, F1, confusion matrix."""

import csv
from dataclasses import dataclass, field
from pathlib import Path

from vigie.triage.model import LABELS
from vigie.triage.playbook_defaults import INAPPROPRIATE

TRUE_WORDS = frozenset({"1", "true", "vrai", "oui", "yes", "y", "o"})
FALSE_WORDS = frozenset({"0", "false", "faux", "non", "no", "n"})


@dataclass(frozen=True)
class Row:
    text: str
    label: str
    kind: str = "comment"
    platform: str = "facebook"
    targets_staff: bool | None = None


@dataclass
class Report:
    labels: tuple[str, ...] = LABELS
    confusion: dict[tuple[str, str], int] = field(default_factory=dict)  # (expected, predicted) -> count
    staff_rows: int = 0
    staff_right: int = 0
    attack_rows: int = 0
    attack_found: int = 0

    def add(self, expected: str, predicted: str) -> None:
        self.confusion[(expected, predicted)] = self.confusion.get((expected, predicted), 0) + 1

    def per_label(self) -> dict[str, tuple[float, float, float, int]]:
        figures = {}
        for label in self.labels:
            right = self.confusion.get((label, label), 0)
            predicted = sum(n for (_, p), n in self.confusion.items() if p == label)
            support = sum(n for (e, _), n in self.confusion.items() if e == label)
            precision = right / predicted if predicted else 0.0
            recall = right / support if support else 0.0
            f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
            figures[label] = (precision, recall, f1, support)
        return figures

    def macro_f1(self) -> float:
        """Mean F1 over the labels present in the expected column."""
        present = [f1 for p, r, f1, support in self.per_label().values() if support]
        return sum(present) / len(present) if present else 0.0

    def toxic(self) -> tuple[float, float, float]:
        """Precision, recall and F1 of "toxic" (any of the four inappropriate labels) against the rest."""
        pairs = [((e in INAPPROPRIATE), (p in INAPPROPRIATE), n) for (e, p), n in self.confusion.items()]
        right = sum(n for e, p, n in pairs if e and p)
        predicted, support = sum(n for _, p, n in pairs if p), sum(n for e, _, n in pairs if e)
        precision, recall = (right / predicted if predicted else 0.0), (right / support if support else 0.0)
        return precision, recall, (2 * precision * recall / (precision + recall) if precision + recall else 0.0)

    def accuracy(self) -> float:
        total = sum(self.confusion.values())
        return sum(n for (e, p), n in self.confusion.items() if e == p) / total if total else 0.0

    def lines(self) -> list[str]:
        out = [f"{'label':<18}{'precision':>10}{'recall':>8}{'f1':>8}{'n':>6}"]
        for label, (precision, recall, f1, support) in self.per_label().items():
            out.append(f"{label:<18}{precision:>10.3f}{recall:>8.3f}{f1:>8.3f}{support:>6}")
        out.append(f"macro_f1={self.macro_f1():.3f} accuracy={self.accuracy():.3f}")
        precision, recall, f1 = self.toxic()
        out.append(f"toxic_f1={f1:.3f} precision={precision:.3f} recall={recall:.3f} (spam, abuse, misinformation, "
                   "conflict against the rest)")  # fmt: skip
        out.append("")
        short = [label[:8] for label in self.labels]
        out.append("confusion (lignes : attendu, colonnes : prédit)")
        out.append(f"{'':<18}" + "".join(f"{s:>9}" for s in short))
        for expected in self.labels:
            counts = "".join(f"{self.confusion.get((expected, p), 0):>9}" for p in self.labels)
            out.append(f"{expected:<18}{counts}")
        if self.staff_rows:
            out.append("")
            out.append(f"targets_staff_accuracy={self.staff_right / self.staff_rows:.3f} (n={self.staff_rows})")
        if self.attack_rows:
            out.append(
                f"targets_staff_recall_on_attacks={self.attack_found / self.attack_rows:.3f} (n={self.attack_rows})"
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
    """Rows of a CSV with columns text,label and optionally kind, platform, targets_staff."""
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
                )
            )
        return rows


def evaluate(classifier, rows: list[Row]) -> Report:
    report = Report()
    results = classifier.classify_many([(r.text, r.kind, r.platform) for r in rows])
    for row, result in zip(rows, results, strict=True):
        report.add(row.label, result.label)
        if row.targets_staff is not None:
            report.staff_rows += 1
            report.staff_right += row.targets_staff == result.targets_staff
            if row.targets_staff:
                report.attack_rows += 1
                report.attack_found += result.targets_staff
    return report
