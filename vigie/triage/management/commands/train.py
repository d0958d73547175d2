"""`vigie train [--corpus DIR] [--corrections FILE]`: rebuild the classifier's model from the corpus."""

import csv
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from vigie.triage import classifier, learning
from vigie.triage.corpus import Example
from vigie.triage.model import LABELS, ModelError
from vigie.vocabulary import PLATFORMS


def read_corrections(path: Path) -> list[Example]:
    """Moderators' corrections: JSONL or CSV with text, label (and optionally kind, platform)."""
    try:
        content = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise CommandError(f"Impossible de lire {path} : {exc.strerror}") from exc
    if path.suffix.lower() == ".csv":
        records = list(csv.DictReader(content.splitlines()))
    else:
        records = []
        for number, line in enumerate(content.splitlines(), start=1):
            if line.strip():
                try:
                    records.append(json.loads(line))
                except json.JSONDecodeError as exc:
                    raise CommandError(f"{path}, ligne {number} : JSON illisible ({exc.msg})") from exc
    corrections = []
    for number, record in enumerate(records, start=1):
        text, label = record.get("text"), (record.get("label") or "").strip()
        if not isinstance(text, str) or not text.strip() or label not in LABELS:
            raise CommandError(f"{path}, correction {number} : il faut un « text » et un « label » parmi {LABELS}")
        kind = record.get("kind") if record.get("kind") in ("comment", "private_message") else "comment"
        platform = record.get("platform") if record.get("platform") in PLATFORMS else "facebook"
        staff = str(record.get("targets_staff", "")).lower() in ("1", "true", "vrai", "oui")
        corrections.append(Example(text, label, kind, platform, staff))
    return corrections


class Command(BaseCommand):
    help = "Reconstruit le modèle de classement (corpus du projet, plus d'éventuelles corrections)."

    def add_arguments(self, parser):
        parser.add_argument("--corpus", type=Path, help="dossier du corpus (un fichier <label>.txt par label)")
        parser.add_argument("--corrections", type=Path, help="corrections des modérateurs (JSONL ou CSV text,label)")
        parser.add_argument("--model-dir", type=Path, help="dossier des modèles (défaut : DATA_DIR/models)")
        parser.add_argument(
            "--no-database", action="store_true", help="ne pas reprendre les corrections faites dans Vigie"
        )

    def handle(self, *args, corpus, corrections, model_dir, no_database: bool, **options):
        extra = read_corrections(corrections) if corrections else []
        if not no_database:
            extra += learning.corrections()
        try:
            path, fitted, seconds = classifier.build(model_dir, corpus, extra)
        except (ModelError, OSError, ValueError) as exc:
            raise CommandError(f"Construction du modèle impossible : {exc}") from exc
        self.stdout.write(
            f"model_version={fitted.version} vocabulary={len(fitted.vocabulary)} corrections={len(extra)} "
            f"seconds={seconds:.1f} path={path}"
        )
