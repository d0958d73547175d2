"""`vigie report --from D --to D [--format json|csv|pdf] [--output F]` (DESIGN §6): the indicators of a
period; JSON identical to GET /api/v1/indicators."""

import csv
import io
import json
import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from vigie.indicators import figures, pdf, periods, tables
from vigie.lib.spreadsheet import safe_row
from vigie.vocabulary import PLATFORM_NAMES


def as_csv(report: dict) -> str:
    """Every table of the page, one after the other: its title, its header, its rows, a blank line."""
    out = io.StringIO()
    writer = csv.writer(out)
    for table in tables.all_tables(report):
        writer.writerow(safe_row([table.title]))
        writer.writerow(safe_row(table.headers))
        writer.writerows(safe_row(row) for row in table.rows)
        writer.writerow([])
    return out.getvalue()


class Command(BaseCommand):
    help = "Les indicateurs d'une période : vigie report --from AAAA-MM-JJ --to AAAA-MM-JJ [--format json|csv|pdf]."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="start", required=True, help="premier jour (heure de Paris)")
        parser.add_argument("--to", dest="end", required=True, help="dernier jour, inclus")
        parser.add_argument("--format", choices=["json", "csv", "pdf"], default="json")
        parser.add_argument(
            "--platform", choices=list(PLATFORM_NAMES), default=None, help="une seule plateforme (JSON, CSV)"
        )
        parser.add_argument("--output", help="fichier à écrire (sinon la sortie standard ; obligatoire pour pdf)")

    def handle(self, *args, start: str, end: str, format: str, platform: str | None, output: str | None, **opts):
        try:
            period = periods.custom(start, end)
        except periods.BadPeriod as error:
            raise CommandError(str(error)) from error
        if format == "pdf":
            if not output:
                raise CommandError("--output FICHIER est obligatoire pour un PDF.")
            content = pdf.render(period, now=timezone.now())
        else:
            report = figures.build(period, platform=platform, now=timezone.now())
            text = json.dumps(report, ensure_ascii=False, indent=2) + "\n" if format == "json" else as_csv(report)
            content = text.encode("utf-8")
        if output:
            with open(output, "wb") as handle:
                handle.write(content)
            self.stderr.write(f"{output} écrit ({len(content)} octets).")
        else:
            sys.stdout.buffer.write(content) if format == "pdf" else self.stdout.write(content.decode(), ending="")
