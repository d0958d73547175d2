from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from vigie.pipeline.importer import import_file
from vigie.pipeline.reading import UnreadableFile


class Command(BaseCommand):
    help = (
        "Importe un fichier de messages (JSONL ou CSV aux mêmes colonnes ; UTF-8, ou UTF-16 avec BOM). "
        "Usage : vigie import FICHIER"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--strict", action="store_true", help="sortir avec le code 1 si une ligne est en erreur")

    def handle(self, *args, file: Path, strict: bool, **options):
        if not file.is_file():
            raise CommandError(f"Fichier introuvable : {file}")
        try:
            report = import_file(file)
        except UnreadableFile as exc:
            raise CommandError(f"{file} : {exc}") from exc
        for error in report.errors:
            self.stderr.write(f"ligne {error.line} : {error.reason}")
        self.stdout.write(
            f"{report.lines} lignes lues : {report.imported} importées, "
            f"{report.already_known} déjà connues, {len(report.errors)} en erreur."
        )
        if strict and report.errors:
            raise CommandError(f"{len(report.errors)} ligne(s) en erreur.")
