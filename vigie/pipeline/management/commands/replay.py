import os
import sys
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from vigie.pipeline import replay
from vigie.pipeline.reading import UnreadableFile

SCRATCH = "VIGIE_REPLAY_SCRATCH"  # set by vigie/cli.py: the data directory is a fresh temporary one


class Command(BaseCommand):
    help = (
        "Rejoue un flux de messages (JSONL) dans tout le pipeline sur une base jetable, à l'heure des messages, "
        "et écrit une ligne JSON par alerte de crise. Usage : vigie replay FICHIER [--staff-file F]"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--staff-file", type=Path, help="l'équipe à surveiller : une personne par ligne, "
                            "le nom puis ses alias séparés par « | »")  # fmt: skip

    def handle(self, *args, file: Path, staff_file: Path | None, **options):
        if not file.is_file():
            raise CommandError(f"Fichier introuvable : {file}")
        if staff_file is not None and not staff_file.is_file():
            raise CommandError(f"Liste de l'équipe introuvable : {staff_file}")
        if os.environ.get(SCRATCH) != str(settings.DATA_DIR):
            raise CommandError("vigie replay ne s'exécute que sur une base jetable : lancez-le avec la commande vigie.")
        call_command("migrate", verbosity=0, interactive=False, stdout=sys.stderr)
        self.run(file, staff_file)

    def run(self, file: Path, staff_file: Path | None) -> replay.Report:
        report = replay.Report()
        if staff_file is not None:
            self.stderr.write(f"Équipe surveillée : {replay.load_watch_list(staff_file)} personne(s).")
        try:
            bodies = replay.read_stream(file, report)
        except UnreadableFile as exc:
            raise CommandError(f"{file} : {exc}") from exc
        for number, reason in report.errors:
            self.stderr.write(f"ligne {number} : {reason}")
        self.stderr.write(f"{len(bodies)} messages à rejouer, dans l'ordre de leur date.")
        progress = lambda done: self.stderr.write(f"… {done} / {len(bodies)}")  # noqa: E731
        replay.replay(bodies, report, self._emit, progress)
        self.stderr.write(f"{report.replayed} messages rejoués, {len(report.alerts)} alerte(s), "
                          f"{len(report.errors)} ligne(s) en erreur.")  # fmt: skip
        return report

    def _emit(self, line: dict) -> None:
        replay.emit_json(line)
