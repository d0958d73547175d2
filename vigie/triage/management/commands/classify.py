"""`vigie classify [FILE|-]`: message JSONL in, classification JSONL out (same order), no database."""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from vigie.triage.classifier import load_classifier
from vigie.triage.model import ModelError


def read_records(lines, errors):
    """(id, text, kind, platform) for each good line; bad lines are reported to `errors` and skipped."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            errors(number, f"JSON illisible : {exc.msg} (colonne {exc.colno})")
            continue
        if not isinstance(record, dict):
            errors(number, "la ligne doit être un objet JSON")
            continue
        identifier, text = record.get("id"), record.get("text")
        if identifier is None or (isinstance(identifier, str) and not identifier.strip()):
            errors(number, "champ manquant : id")
        elif not isinstance(text, str):
            errors(number, "« text » doit être un texte")
        else:
            yield identifier, text, record.get("kind") or "comment", record.get("platform") or "facebook"


WRITE_EVERY = 1000  # lines written at once, not one write per line


def _line(identifier, result, signals: bool) -> str:
    line = {
        "id": identifier, "label": result.label, "confidence": result.confidence,
        "targets_staff": result.targets_staff, "actions": result.actions, "priority": result.priority,
    }  # fmt: skip
    if signals:
        line |= {"signals": result.signals, "model_version": result.model_version, "toxicity": result.toxicity}
    return json.dumps(line, ensure_ascii=False)


class Command(BaseCommand):
    help = "Classe des messages JSONL (fichier ou « - » pour l'entrée standard) et écrit un JSON par ligne."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", default="-", help="fichier JSONL, ou - (défaut) pour stdin")
        parser.add_argument("--staff-file", type=Path, help="liste de l'équipe (une personne par ligne)")
        parser.add_argument(
            "--signals", action="store_true", help="ajoute les signaux, la toxicité et la version du modèle"
        )

    def handle(self, *args, file: str, staff_file: Path | None, signals: bool, **options):
        try:
            classifier = load_classifier(staff_file)
        except (ModelError, FileNotFoundError) as exc:
            raise CommandError(str(exc)) from exc
        stream = sys.stdin if file == "-" else self._open(file)
        failures = 0

        def error(number: int, message: str) -> None:
            nonlocal failures
            failures += 1
            self.stderr.write(f"ligne {number} : {message}")

        records = list(read_records(stream, error))
        results = classifier.classify_many([(text, kind, platform) for _, text, kind, platform in records])
        lines = [_line(identifier, result, signals) for (identifier, *_), result in zip(records, results, strict=True)]
        for start in range(0, len(lines), WRITE_EVERY):
            self.stdout.write("\n".join(lines[start : start + WRITE_EVERY]))
        if failures:
            self.stderr.write(f"{failures} ligne(s) ignorée(s), {len(records)} classée(s).")

    def _open(self, file: str):
        try:
            return open(file, encoding="utf-8")  # noqa: SIM115 - read to the end by handle()
        except OSError as exc:
            raise CommandError(f"Impossible de lire {file} : {exc.strerror}") from exc
