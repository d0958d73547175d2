"""The monthly report as a PDF (reportlab): key figures, the three charts (drawn from the same shapes as
the page's SVG), notable events, crises and their reviews, improvement actions, and the tables."""

import io
from datetime import date, datetime
from xml.sax.saxutils import escape

from django.utils import timezone
from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from vigie.indicators import charts, figures, tables
from vigie.indicators.periods import Period
from vigie.lib.plural import pluriel
from vigie.records.models import Complaint, ImprovementAction
from vigie.vocabulary import PLATFORM_NAMES

MONTHS = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]
WIDTH = A4[0] - 3 * cm
STYLES = getSampleStyleSheet()


def month_name(day: date) -> str:
    return f"{MONTHS[day.month - 1]} {day.year}"


def _text(value) -> str:
    """What the PDF's standard fonts can write (Windows-1252): the minus sign becomes a hyphen."""
    text = str(value).replace("\u2212", "-").replace("\u202f", " ")
    return text.encode("cp1252", "replace").decode("cp1252")


def _p(text: str, style: str = "BodyText") -> Paragraph:
    return Paragraph(escape(_text(text)), STYLES[style])


def _table(table: tables.Table) -> list:
    data = [[_p(h, "Heading6") for h in table.headers]] + [[_p(cell) for cell in row] for row in table.rows]
    if not table.rows:
        return [_p(table.title, "Heading3"), _p("Rien sur la période.")]
    grid = Table(data, colWidths=[WIDTH / len(table.headers)] * len(table.headers), repeatRows=1)
    grid.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#D5DAE1")),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#F1F4F8")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return [_p(table.title, "Heading3"), grid]


def drawing(chart: charts.Chart) -> Drawing:
    """The chart's shapes in a PDF drawing (its y axis goes up: the shapes are flipped)."""
    scale = WIDTH / charts.WIDTH
    picture = Drawing(WIDTH, charts.HEIGHT * scale)
    for shape in chart.shapes:
        if shape.kind == "rect":
            picture.add(
                Rect(
                    shape.x * scale,
                    (charts.HEIGHT - shape.y - shape.h) * scale,
                    shape.w * scale,
                    shape.h * scale,
                    fillColor=colors.HexColor(shape.colour),
                    strokeColor=None,
                )
            )
        elif shape.kind == "line":
            picture.add(
                Line(
                    shape.x * scale,
                    (charts.HEIGHT - shape.y) * scale,
                    shape.w * scale,
                    (charts.HEIGHT - shape.h) * scale,
                    strokeColor=colors.HexColor(shape.colour),
                    strokeWidth=0.5,
                )
            )
        else:
            picture.add(
                String(
                    shape.x * scale,
                    (charts.HEIGHT - shape.y) * scale,
                    _text(shape.text),
                    fontSize=shape.size / 2,
                    textAnchor=shape.anchor,
                    fillColor=colors.HexColor(shape.colour),
                )
            )
    return picture


def legend(chart: charts.Chart) -> Drawing:
    """A square of each colour and its label's name, four a line."""
    lines = -(-len(chart.legend) // 4)
    picture = Drawing(WIDTH, 14 * lines)
    for n, (colour, name) in enumerate(chart.legend):
        x, y = (n % 4) * WIDTH / 4, 14 * (lines - 1 - n // 4) + 2
        picture.add(Rect(x, y, 8, 8, fillColor=colors.HexColor(colour), strokeColor=None))
        picture.add(String(x + 12, y + 1, _text(name), fontSize=8))
    return picture


def _chart(chart: charts.Chart) -> KeepTogether:
    parts = [_p(chart.title, "Heading3"), _p(chart.description), drawing(chart)]
    if chart.legend:
        parts.append(legend(chart))
    return KeepTogether(parts)


def notable_events(report: dict) -> list[str]:
    lines = []
    busiest = max(report["series"]["points"], key=lambda p: p["messages"], default=None)
    if busiest and busiest["messages"]:
        lines.append(f"Jour le plus chargé : {busiest['name']}, {busiest['messages']} messages.")
    if report["staff_attacks"]:
        attacks = report["staff_attacks"]
        lines.append(f"{attacks} message{pluriel(attacks)} visant un membre du personnel.")
    if report["moderation"]["repeat_offenders"]:
        offenders = report["moderation"]["repeat_offenders"]
        lines.append(f"{offenders} récidiviste{pluriel(offenders)} (deux messages inappropriés ou plus).")
    if report["rounds"]["missed"]:
        missed = report["rounds"]["missed"]
        lines.append(f"{missed} tour{pluriel(missed)} de veille manqué{pluriel(missed)}.")
    overdue = report["private_messages"]["overdue"]
    if overdue:
        s, their = pluriel(overdue), "leur" if overdue >= 2 else "son"
        lines.append(f"{overdue} message{s} privé{s} resté{s} sans réponse après {their} délai.")
    for crisis in report["crises"]["list"]:
        lines.append(
            f"Crise « {crisis['title']} » détectée le {tables.when(crisis['detected_at'])} : {crisis['explanation']}"
        )
    return lines or ["Rien de notable."]


def _crises(report: dict) -> list:
    parts = [_p("Crises et retours d'expérience", "Heading2")]
    if not report["crises"]["list"]:
        return [*parts, _p("Aucune crise sur la période.")]
    for crisis in report["crises"]["list"]:
        parts.append(
            _p(
                f"{crisis['title']} ({PLATFORM_NAMES.get(crisis['platform'], crisis['platform'])}), "
                f"début {tables.when(crisis['started_at'])}, première alerte après "
                f"{tables.minutes_text(crisis['minutes_to_first_alert'])}, durée "
                f"{tables.minutes_text(crisis['duration_minutes'])}.",
                "Heading4",
            )
        )
        review = crisis["review"]
        for name, key in (
            ("Ce qui s'est passé", "what_happened"),
            ("Ce qui a marché", "what_worked"),
            ("À changer", "to_change"),
        ):
            parts.append(_p(f"{name} : {review[key] or '—'}"))
    return parts


def _improvements(period: Period) -> list:
    start, end = period.bounds()
    actions = (
        ImprovementAction.objects.filter(created_at__lt=end)
        .exclude(done_at__lt=start)
        .exclude(status=ImprovementAction.Status.CANCELLED)
        .select_related("owner")
        .order_by("due_on", "id")
    )
    rows = [
        [
            a.title,
            a.get_origin_display(),
            a.owner.get_full_name() or a.owner.get_username(),
            f"{a.due_on:%d/%m/%Y}",
            a.get_status_display(),
        ]
        for a in actions
    ]
    table = tables.Table(
        "improvements",
        "Actions d'amélioration (ouvertes ou faites sur la période)",
        ["Action", "Origine", "Responsable", "Échéance", "État"],
        rows,
    )
    return _table(table)


def _complaints(period: Period) -> str:
    start, end = period.bounds()
    found = Complaint.objects.filter(received_at__gte=start, received_at__lt=end)
    resolved = found.filter(outcome=Complaint.Outcome.RESOLVED).count()
    return f"Réclamations inscrites au registre : {found.count()}, dont {resolved} résolue{pluriel(resolved)}."


def render(period: Period, *, now: datetime | None = None) -> bytes:
    now = now or timezone.now()
    report = figures.build(period, now=now)
    pm = report["private_messages"]
    story = [
        _p(f"Vigie — rapport mensuel des indicateurs, {month_name(period.start)}", "Title"),
        _p(
            f"Période {period.title} (heure de Paris), comparée au mois précédent. "
            f"Établi le {timezone.localtime(now):%d/%m/%Y à %H:%M}."
        ),
        *_table(tables.key_figures(report)),
        _p("Faits marquants", "Heading2"),
        *[_p(f"• {line}") for line in notable_events(report)],
        _p(_complaints(period)),
        _p("Graphiques", "Heading2"),
        _chart(charts.volumes(report["series"])),
        _chart(charts.deadlines(report["series"])),
        _chart(charts.response_times(pm["response_times"], pm["median_first_response_minutes"])),
        *_crises(report),
        Spacer(1, 0.3 * cm),
        *_improvements(period),
    ]
    for make in ("labels", "platforms", "private", "responses", "requests", "moderation", "classification", "rounds"):
        story += _table(tables.TABLES[make](report))
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=1.5 * cm,
        rightMargin=1.5 * cm,
        title=f"Rapport mensuel Vigie — {month_name(period.start)}",
        author="Vigie",
    )
    document.build(story)
    return buffer.getvalue()
