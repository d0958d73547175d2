"""The indicators as tables (pure): what the page shows, each table's CSV, the PDF and `vigie report
--format csv` all come from here, read from the dict of figures.build."""

from dataclasses import dataclass
from datetime import datetime

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from vigie.crisis.models import Crisis
from vigie.indicators.figures import LABEL_KEYS, LABEL_NAMES, MODERATION_VERBS
from vigie.vocabulary import PLATFORM_NAMES

KIND_NAMES = {"comment": "Commentaires", "private_message": "Messages privés"}
VERB_NAMES = {
    "hide": "Masqués",
    "unhide": "Ré-affichés",
    "delete": "Supprimés",
    "block": "Auteurs bloqués",
    "unblock": "Auteurs débloqués",
    "report": "Signalés à la plateforme",
}
SLOT_NAMES = {"morning": "Matin", "noon": "Midi", "evening": "Soir"}
CRISIS_STATES = dict(Crisis.Status.choices)


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    headers: list[str]
    rows: list[list]

    @property
    def html(self) -> SafeString:
        return html(self.headers, self.rows)


def html(headers: list[str], rows: list[list]) -> SafeString:
    """A table of figures as HTML, written here rather than by a template loop (a quarter day by day is
    thousands of cells): every cell escaped, each saying its column's name (a phone shows cards)."""
    names = [escape(h or "Indicateur") for h in headers]
    head = "".join(f'<th scope="col">{name}</th>' for name in names)
    body = "".join(
        "<tr>"
        + "".join(f'<td data-label="{name}">{escape(cell)}</td>' for name, cell in zip(names, row, strict=True))
        + "</tr>"
        for row in rows
    )
    return mark_safe(  # noqa: S308 — every header and cell is escaped above
        f'<div class="table-wrap"><table class="log cards-on-phone"><thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table></div>"
    )


def minutes_text(minutes: float | None) -> str:
    if minutes is None:
        return "—"
    if minutes < 60:
        return f"{minutes:.0f} min"
    hours, rest = divmod(round(minutes), 60)
    return f"{hours} h {rest:02d}" if hours < 48 else f"{hours // 24} j {hours % 24} h"


def hours_text(hours: float | None) -> str:
    """Hours written as `minutes_text` writes minutes: « 3 h 30 », « 4 j 5 h »."""
    return minutes_text(None if hours is None else hours * 60)


def when(iso: str) -> str:
    """« 07/11/2026 20:10 » from the ISO date of the figures (written in Paris time)."""
    return f"{datetime.fromisoformat(iso):%d/%m/%Y %H:%M}"


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f} %".replace(".", ",")


def number(value) -> str:
    return "—" if value is None else f"{value:g}".replace(".", ",")


def trend(current, previous, *, points: bool = False) -> str:
    """« +12 % », « −3 % », « +4,5 pts », « stable », or « — » when nothing compares."""
    if current is None or previous is None:
        return "—"
    if points:
        delta = round((current - previous) * 100, 1)
        return "stable" if delta == 0 else f"{'+' if delta > 0 else '−'}{abs(delta):g} pts".replace(".", ",")
    if current == previous:
        return "stable"
    if not previous:
        return f"+{current:g}"
    change = round((current - previous) / previous * 100)
    return "stable" if change == 0 else f"{'+' if change > 0 else '−'}{abs(change)} %"


def labels(report: dict) -> Table:
    now, before = report["messages"], report["previous"]["messages"]
    keys = [k for k in [*LABEL_KEYS, "unclassified"] if k in now["by_label"]]
    rows = [
        [
            LABEL_NAMES[k],
            now["by_label_and_kind"]["comment"].get(k, 0),
            now["by_label_and_kind"]["private_message"].get(k, 0),
            now["by_label"][k],
            before["by_label"].get(k, 0),
            trend(now["by_label"][k], before["by_label"].get(k, 0)),
        ]
        for k in keys
    ]
    rows.append(
        [
            "Total",
            now["by_kind"]["comment"],
            now["by_kind"]["private_message"],
            now["total"],
            before["total"],
            trend(now["total"], before["total"]),
        ]
    )
    return Table(
        "labels",
        "Volumes par étiquette",
        ["Étiquette", "Commentaires", "Messages privés", "Total", "Période précédente", "Évolution"],
        rows,
    )


def platforms(report: dict) -> Table:
    now, before = report["messages"]["by_platform"], report["previous"]["messages"]["by_platform"]
    rows = [[PLATFORM_NAMES[p], now[p], before.get(p, 0), trend(now[p], before.get(p, 0))] for p in PLATFORM_NAMES]
    return Table(
        "platforms", "Volumes par plateforme", ["Plateforme", "Messages", "Période précédente", "Évolution"], rows
    )


def _line(name, now, before, show=number, points=False):
    return [name, show(now), show(before), trend(now, before, points=points)]


def key_figures(report: dict) -> Table:
    """The figures at a glance, each against the previous period."""
    now, before = report, report["previous"]
    pm, pm0 = now["private_messages"], before["private_messages"]
    rows = [
        _line("Messages reçus", now["messages"]["total"], before["messages"]["total"]),
        _line(
            "Part de contenus inappropriés",
            now["messages"]["inappropriate_share"],
            before["messages"]["inappropriate_share"],
            percent,
            True,
        ),
        _line(
            "Messages privés répondus dans les 24 h",
            pm["answered_within_24h_share"],
            pm0["answered_within_24h_share"],
            percent,
            True,
        ),
        _line(
            "Délai médian de première réponse",
            pm["median_first_response_minutes"],
            pm0["median_first_response_minutes"],
            minutes_text,
        ),
        _line("Messages privés sans réponse, délai dépassé", pm["overdue"], pm0["overdue"]),
        _line("Demandes complexes ouvertes", now["complex_requests"]["opened"], before["complex_requests"]["opened"]),
        _line("Demandes complexes closes", now["complex_requests"]["closed"], before["complex_requests"]["closed"]),
        _line(
            "Délai médian de clôture",
            now["complex_requests"]["median_hours_to_close"],
            before["complex_requests"]["median_hours_to_close"],
            hours_text,
        ),
        _line("Récidivistes", now["moderation"]["repeat_offenders"], before["moderation"]["repeat_offenders"]),
        _line("Attaques contre le personnel", now["staff_attacks"], before["staff_attacks"]),
        _line("Crises", now["crises"]["count"], before["crises"]["count"]),
        _line("Tours de veille faits", now["rounds"]["done"], before["rounds"]["done"]),
        _line("Tours de veille manqués", now["rounds"]["missed"], before["rounds"]["missed"]),
        _line(
            "Étiquettes corrigées par les modérateurs",
            now["classification"]["corrected_share"],
            before["classification"]["corrected_share"],
            percent,
            True,
        ),
    ]
    return Table("figures", "Chiffres clés", ["Indicateur", "Période", "Période précédente", "Évolution"], rows)


def private_messages(report: dict) -> Table:
    pm, pm0 = report["private_messages"], report["previous"]["private_messages"]
    names = [
        ("needing_reply", "À répondre"),
        ("answered_within_24h", "Répondus dans les 24 h"),
        ("answered_late", "Répondus en retard"),
        ("unanswered", "Sans réponse"),
        ("waiting", "dont encore dans les temps"),
        ("overdue", "dont délai dépassé"),
    ]
    rows = [_line(name, pm[key], pm0[key]) for key, name in names]
    rows.append(
        _line(
            "Part répondue dans les 24 h",
            pm["answered_within_24h_share"],
            pm0["answered_within_24h_share"],
            percent,
            True,
        )
    )
    rows.append(
        _line(
            "Délai médian de première réponse",
            pm["median_first_response_minutes"],
            pm0["median_first_response_minutes"],
            minutes_text,
        )
    )
    return Table(
        "private", "Messages privés et délai de 24 h", ["", "Période", "Période précédente", "Évolution"], rows
    )


def responses(report: dict) -> Table:
    now, before = report["private_messages"]["response_times"], report["previous"]["private_messages"]["response_times"]
    rows = [_line(name, count, before.get(name, 0)) for name, count in now.items()]
    return Table("responses", "Délai de première réponse (messages privés)",
                 ["Délai", "Période", "Période précédente", "Évolution"], rows)  # fmt: skip


def moderation(report: dict) -> Table:
    now, before = report["moderation"], report["previous"]["moderation"]
    rows = [_line(VERB_NAMES[verb], now[verb], before[verb]) for verb in (*MODERATION_VERBS, "report")]
    rows.append(
        _line("Récidivistes (deux messages inappropriés ou plus)", now["repeat_offenders"], before["repeat_offenders"])
    )
    rows.append(_line("Attaques contre le personnel", report["staff_attacks"], report["previous"]["staff_attacks"]))
    return Table("moderation", "Modération", ["Action", "Période", "Période précédente", "Évolution"], rows)


def classification(report: dict) -> Table:
    rows = [
        [
            LABEL_NAMES[label],
            v["classified"],
            v["reviewed"],
            v["corrected"],
            percent(v["corrected_share"]),
            percent(v["corrected_share_of_reviewed"]),
        ]
        for label, v in report["classification"]["by_label"].items()
    ]
    c = report["classification"]
    rows.append(
        [
            "Total",
            c["classified"],
            c["reviewed"],
            c["corrected"],
            percent(c["corrected_share"]),
            percent(c["corrected_share_of_reviewed"]),
        ]
    )
    return Table(
        "classification",
        "Qualité du tri (étiquette donnée par le classifieur)",
        ["Étiquette du classifieur", "Classés", "Vérifiés", "Corrigés", "Part corrigée", "Part corrigée des vérifiés"],
        rows,
    )


def requests(report: dict) -> Table:
    now, before = report["complex_requests"], report["previous"]["complex_requests"]
    rows = [
        _line("Ouvertes", now["opened"], before["opened"]),
        _line("Closes", now["closed"], before["closed"]),
        _line("Délai médian de clôture", now["median_hours_to_close"], before["median_hours_to_close"], hours_text),
    ]
    return Table("requests", "Demandes complexes", ["", "Période", "Période précédente", "Évolution"], rows)


def crises(report: dict) -> Table:
    rows = [
        [
            c["title"],
            PLATFORM_NAMES.get(c["platform"], c["platform"]),
            when(c["started_at"]),
            minutes_text(c["minutes_to_first_alert"]),
            minutes_text(c["duration_minutes"]),
            CRISIS_STATES.get(c["status"], c["status"]),
            c["review"]["what_happened"] or "—",
        ]
        for c in report["crises"]["list"]
    ]
    return Table(
        "crises",
        "Crises",
        ["Crise", "Plateforme", "Début", "Délai de la première alerte", "Durée", "État", "Retour d'expérience"],
        rows,
    )


def rounds(report: dict) -> Table:
    now = report["rounds"]["by_slot"]
    rows = [[SLOT_NAMES[slot], v["done"], v["missed"]] for slot, v in now.items()]
    rows.append(["Total", report["rounds"]["done"], report["rounds"]["missed"]])
    return Table("rounds", "Tours de veille", ["Tour", "Faits", "Manqués"], rows)


def series(report: dict) -> Table:
    points = report["series"]["points"]
    rows = [
        [
            p["name"],
            p["messages"],
            *[p["by_label"].get(k, 0) for k in LABEL_KEYS],
            p["needing_reply"],
            p["answered_within_24h"],
            p["answered_late"],
            p["waiting"],
        ]
        for p in points
    ]
    return Table(
        "series",
        "Au fil de la période",
        [
            "Période",
            "Messages",
            *[LABEL_NAMES[k] for k in LABEL_KEYS],
            "Messages privés à répondre",
            "Répondus dans les 24 h",
            "Répondus en retard",
            "Délai en cours",
        ],
        rows,
    )


TABLES = {
    "figures": key_figures,
    "labels": labels,
    "platforms": platforms,
    "private": private_messages,
    "responses": responses,
    "requests": requests,
    "moderation": moderation,
    "classification": classification,
    "crises": crises,
    "rounds": rounds,
    "series": series,
}


def all_tables(report: dict) -> list[Table]:
    return [make(report) for make in TABLES.values()]
