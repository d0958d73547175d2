"""CSV files of the tracking tables, streamed, every cell through lib.spreadsheet (no formula injection)."""

import csv

from django.http import StreamingHttpResponse
from django.utils import timezone

from vigie.lib.spreadsheet import safe_row


class _Echo:
    def write(self, value):
        return value


def csv_response(filename: str, header: list[str], rows) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff" + writer.writerow(header)  # the BOM: a spreadsheet then reads UTF-8
        for row in rows:
            yield writer.writerow(safe_row(row))

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def when(value) -> str:
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M") if value else ""


COMPLAINTS = [
    "date",
    "plateforme",
    "auteur",
    "objet",
    "réponse apportée",
    "suite",
    "amélioration",
    "inscrite par",
    "origine",
    "version de la procédure",
]


def complaint_rows(complaints):
    for c in complaints.iterator(chunk_size=1000):
        yield [
            when(c.received_at),
            c.get_platform_display(),
            c.author_name,
            c.subject,
            c.answer,
            c.get_outcome_display(),
            c.improvement,
            c.logged_by.get_username() if c.logged_by else "",
            c.get_source_display(),
            c.procedure_version,
        ]


MODERATION = [
    "date",
    "action",
    "plateforme",
    "auteur",
    "message",
    "par",
    "motif",
    "charte",
    "procédure",
    "preuve",
    "empreinte SHA-256",
    "état",
]


def moderation_rows(rows):
    for r in rows:
        evidence = r["evidence"]
        yield [
            when(r["at"]),
            r["kind"],
            r["platform"],
            r["author"],
            r["text"],
            r["who"],
            r["reason"],
            r["charter"],
            r["procedure"],
            f"n° {evidence.pk}" if evidence else "",
            evidence.sha256 if evidence else "",
            r["status"],
        ]


IMPROVEMENTS = [
    "action",
    "origine",
    "référence",
    "responsable",
    "échéance",
    "statut",
    "en retard",
    "preuve de réalisation",
    "ouverte le",
]


def improvement_rows(actions, today):
    for a in actions:
        late = a.status in ("open", "in_progress") and a.due_on < today
        yield [
            a.title,
            a.get_origin_display(),
            a.origin_reference,
            a.owner.get_username(),
            a.due_on.strftime("%d/%m/%Y"),
            a.get_status_display(),
            "oui" if late else "non",
            a.evidence,
            when(a.created_at),
        ]


def span(value) -> str:
    """A duration as people say it: « 12 min », « 3 h 05 », « 2 j 4 h »."""
    minutes = max(0, round(value.total_seconds() / 60))
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {minutes:02d}"
    days, hours = divmod(hours, 24)
    return f"{days} j {hours} h"


CRISES = [
    "ouverte le",
    "close le",
    "signal",
    "plateformes",
    "messages",
    "délai avant l'alerte",
    "durée",
    "communiqué",
    "ce qui s'est passé",
    "ce qui a marché",
    "ce qu'il faut changer",
    "actions d'amélioration",
    "issue",
    "raison",
]


def crisis_rows(rows):
    for r in rows:
        crisis = r["crisis"]
        yield [
            when(r["opened"]),
            when(r["closed"]),
            r["signal"],
            r["platforms"],
            r["messages"],
            r["to_alert"],
            r["duration"],
            r["statement"],
            crisis.review_what_happened,
            crisis.review_what_worked,
            crisis.review_to_change,
            r["actions"],
            r["outcome"],
            r["reason"],
        ]
