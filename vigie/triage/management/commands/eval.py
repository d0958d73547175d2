"""`vigie eval FILE.csv`: per-label figures, macro-F1, toxic F1, two-class macro-F1 and balanced accuracy of
abuse against clean, with 95 % bootstrap intervals (by template where the CSV has a `template` column),
confusion matrix, targets_staff."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from vigie.triage import evaluation
from vigie.triage.classifier import load_classifier
from vigie.triage.model import ModelError


class Command(BaseCommand):
    help = (
        "Mesure le classement sur un CSV étiqueté (colonnes text,label et kind, platform, targets_staff, template, "
        "toxic), avec des intervalles de confiance à 95 % (bootstrap)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--staff-file", type=Path, help="liste de l'équipe (une personne par ligne)")

    def handle(self, *args, file: Path, staff_file: Path | None, **options):
        try:
            rows = evaluation.read_rows(file)
        except OSError as exc:
            raise CommandError(f"Impossible de lire {file} : {exc.strerror}") from exc
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if not rows:
            raise CommandError(f"{file} ne contient aucune ligne étiquetée.")
        try:
            classifier = load_classifier(staff_file)
        except (ModelError, FileNotFoundError) as exc:
            raise CommandError(str(exc)) from exc
        report = evaluation.evaluate(classifier, rows)
        self.stdout.write(f"model_version={classifier.version} rows={len(rows)}")
        for line in report.lines():
            self.stdout.write(line)
