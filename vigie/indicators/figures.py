"""The indicators of a period (« Indicateurs »): one JSON-ready dict that the page, the API, `vigie report`
(JSON, CSV, PDF) and the monthly e-mail all read. Message figures come from the daily tallies
(tally.py); moderation, complex requests, crises and rounds are small tables counted directly.

Every figure counts what happened in the period (Paris days): messages received, moderation actions
asked and done, complex requests opened or closed, crises detected, rounds of those days. A private
message counts as answered within 24 h when the Page's first answer reached the person by its deadline,
the deadline itself included (24 h 00 is within), as the desk's badge says (`sla.deadlines.state`).
"""

import statistics
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta

from django.core.cache import cache
from django.db import connection
from django.db.models import Aggregate, Count, DurationField, ExpressionWrapper, F, Q
from django.utils import timezone

from vigie.crisis.models import Crisis
from vigie.helpdesk.models import Task
from vigie.inbox.models import Message
from vigie.indicators import tally
from vigie.indicators.models import TallyState
from vigie.indicators.periods import Period, paris_day
from vigie.ingestion.models import Platform
from vigie.moderation.models import PlatformAction
from vigie.records.models import PlatformReport
from vigie.rounds.models import Round
from vigie.triage.models import INAPPROPRIATE, LABELS

LABEL_KEYS = [value for value, _ in LABELS]
LABEL_NAMES = dict(LABELS) | {"unclassified": "Non classé"}
PLATFORMS = tuple(Platform.values)
KINDS = ("comment", "private_message")
MODERATION_VERBS = ("hide", "unhide", "delete", "block", "unblock")
# first-response time buckets: upper bound in hours (included; None: beyond), name, short name for a chart's axis
RESPONSE_BUCKETS = [
    (1, "1 h ou moins", "0–1 h"),
    (4, "1 à 4 h", "1–4 h"),
    (8, "4 à 8 h", "4–8 h"),
    (12, "8 à 12 h", "8–12 h"),
    (24, "12 à 24 h", "12–24 h"),
    (48, "24 à 48 h", "24–48 h"),
    (None, "plus de 48 h", "> 48 h"),
]
DAILY_UP_TO = 62  # a longer period is drawn week by week


def share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _median(values, divide_by: float) -> float | None:
    return round(statistics.median(values) / divide_by, 1) if values else None


def build(period: Period, *, platform: str | None = None, now: datetime | None = None) -> dict:
    """The period's figures, the previous period's, and the series the charts draw."""
    now = now or timezone.now()
    days, waiting = tally.read(period, paris_day(now)), _still_in_time(period.bounds(), platform, now)
    return {
        **figures(period, days, platform, now, waiting),
        "series": series(period, days, platform, waiting),
        "previous": _previous(period.previous(), platform, now),
    }


PREVIOUS_KEPT = 600  # seconds; the key changes at each refresh of the tallies anyway


def _previous(period: Period, platform: str | None, now: datetime) -> dict:
    """The previous period is over: its figures change when the tallies are refreshed (every 5 minutes), so
    they are kept in the cache until then (what else they read, moderation, crises, rounds, is as late at
    most). Before the first refresh, nothing is kept."""
    refreshed = TallyState.objects.values_list("refreshed_at", flat=True).first()  # its one row

    def count() -> dict:
        days = tally.read(period, paris_day(now))
        return figures(period, days, platform, now, _still_in_time(period.bounds(), platform, now))

    if refreshed is None:
        return count()
    key = f"indicators:previous:{period.start}:{period.end}:{period.kind}:{platform}:{refreshed.timestamp()}"
    return cache.get_or_set(key, count, PREVIOUS_KEPT)


def figures(period: Period, days: dict, platform: str | None, now: datetime, waiting: Counter[date]) -> dict:
    """The period's figures; `waiting`: its private messages still within their deadline, by day (`_still_in_time`)."""
    rows = [row for day in days.values() for row in day.rows if platform in (None, row["platform"])]
    bounds = period.bounds()
    return {
        "period": period_json(period),
        "platform": platform,
        "messages": _messages(rows),
        "private_messages": _private_messages(rows, platform, bounds, sum(waiting.values())),
        "complex_requests": _complex_requests(bounds, platform),
        "moderation": _moderation(bounds, platform, days),
        "staff_attacks": sum(row["targets_staff"] for row in rows),
        "crises": _crises(bounds, platform),
        "rounds": _rounds(period),
        "classification": _classification(rows),
    }


def period_json(period: Period) -> dict:
    return {
        "from": period.start.isoformat(),
        "to": period.end.isoformat(),
        "days": period.days,
        "kind": period.kind,
        "time_zone": "Europe/Paris",
    }


def _sum_by(rows, key: str, keys, value: str = "messages") -> dict[str, int]:
    totals = dict.fromkeys(keys, 0)
    for row in rows:
        name = row[key] or "unclassified"
        totals[name] = totals.get(name, 0) + row[value]
    return totals


def _messages(rows) -> dict:
    total = sum(row["messages"] for row in rows)
    inappropriate = sum(row["messages"] for row in rows if row["label"] in INAPPROPRIATE)
    by_label = _sum_by(rows, "label", LABEL_KEYS)
    if not by_label.get("unclassified"):
        by_label.pop("unclassified", None)
    return {
        "total": total,
        "by_platform": _sum_by(rows, "platform", PLATFORMS),
        "by_kind": _sum_by(rows, "kind", KINDS),
        "by_label": by_label,
        "by_label_and_kind": {
            kind: _sum_by([r for r in rows if r["kind"] == kind], "label", LABEL_KEYS) for kind in KINDS
        },
        "inappropriate": inappropriate,
        "inappropriate_share": share(inappropriate, total),
    }


def _private_messages(rows, platform, bounds, waiting: int) -> dict:
    pm = [row for row in rows if row["kind"] == "private_message"]
    needing, on_time = sum(r["needing_reply"] for r in pm), sum(r["on_time"] for r in pm)
    unanswered = sum(r["unanswered"] for r in pm)
    median, distribution = _first_responses(bounds, platform)
    return {
        "needing_reply": needing,
        "answered_within_24h": on_time,
        "answered_late": sum(r["late"] for r in pm),
        "unanswered": unanswered,
        "waiting": waiting,  # unanswered, their deadline not passed yet
        "overdue": max(unanswered - waiting, 0),  # (a day's tally may be a few minutes behind the live count)
        # of those whose fate is known (answered, or past their deadline)
        "answered_within_24h_share": share(on_time, needing - waiting),
        "median_first_response_minutes": median,
        "response_times": distribution,
    }


def _still_in_time(bounds, platform, now) -> Counter[date]:
    """Unanswered private messages of the period whose deadline is still ahead (partial index
    `message_unanswered_due`), by the day they came (Paris): a live count, since it changes with the clock.
    Nobody knows yet whether they will be answered in time: the shares answered within 24 h leave them out."""
    found = Message.objects.filter(
        reply_due_at__gt=now, replied_at__isnull=True, created_at__gte=bounds[0], created_at__lt=bounds[1]
    )
    if platform:
        found = found.filter(channel__platform=platform)
    return Counter(paris_day(moment) for moment in found.values_list("created_at", flat=True))


class Median(Aggregate):
    """PostgreSQL's median (percentile_cont); SQLite has none: its few rows are sorted in Python."""

    function = "percentile_cont"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = DurationField()


def _first_responses(bounds, platform) -> tuple[float | None, dict[str, int]]:
    """The period's private messages answered: the median time to the first answer (minutes) and the
    distribution, in SQL on the partial index `message_answered` (migration indicators/0001)."""
    answered = Message.objects.filter(
        created_at__gte=bounds[0], created_at__lt=bounds[1], reply_due_at__isnull=False, replied_at__isnull=False
    )
    if platform:
        answered = answered.filter(channel__platform=platform)
    within = {
        # counting a column of the index (not the id): PostgreSQL reads the index alone
        f"within_{n}": Count(
            "created_at", filter=Q(replied_at__lte=F("created_at") + timedelta(hours=hours)) if hours else Q()
        )
        for n, (hours, _, _) in enumerate(RESPONSE_BUCKETS)
    }
    delay = ExpressionWrapper(F("replied_at") - F("created_at"), output_field=DurationField())
    if connection.vendor == "postgresql":
        found = answered.aggregate(median=Median(delay), **within)
        median = found.pop("median")
    else:
        found = answered.aggregate(**within)
        delays = [d for d in answered.annotate(delay=delay).values_list("delay", flat=True)]
        median = statistics.median(delays) if delays else None
    cumulative = [found[f"within_{n}"] for n in range(len(RESPONSE_BUCKETS))]  # each bucket and those before
    counts = [n - (cumulative[i - 1] if i else 0) for i, n in enumerate(cumulative)]
    minutes = round(median.total_seconds() / 60, 1) if median is not None else None
    return minutes, dict(zip([name for _, name, _ in RESPONSE_BUCKETS], counts, strict=True))


def _within(bounds, field: str) -> Q:
    return Q(**{f"{field}__gte": bounds[0], f"{field}__lt": bounds[1]})


def _complex_requests(bounds, platform) -> dict:
    tasks = Task.objects.filter(item__platform=platform) if platform else Task.objects.all()
    closed = tasks.filter(_within(bounds, "closed_at"), status=Task.Status.DONE)
    hours = [(done - opened).total_seconds() for opened, done in closed.values_list("created_at", "closed_at")]
    return {
        "opened": tasks.filter(_within(bounds, "created_at")).count(),
        "closed": len(hours),
        "median_hours_to_close": _median(hours, 3600),
    }


def _moderation(bounds, platform, days) -> dict:
    done = PlatformAction.objects.filter(
        _within(bounds, "created_at"), status=PlatformAction.Status.DONE, verb__in=MODERATION_VERBS
    )
    reports = PlatformReport.objects.filter(_within(bounds, "reported_at"))
    if platform:
        done, reports = done.filter(channel__platform=platform), reports.filter(platform=platform)
    counts = dict.fromkeys(MODERATION_VERBS, 0) | dict(done.values_list("verb").annotate(n=Count("id")).order_by())
    return {**counts, "report": reports.count(), "repeat_offenders": tally.repeat_offenders(days, platform)}


def _minutes(delta: timedelta) -> float:
    return round(delta.total_seconds() / 60, 1)


def _crises(bounds, platform) -> dict:
    found = Crisis.objects.filter(_within(bounds, "detected_at"), demo=False).exclude(status=Crisis.Status.MERGED)
    if platform:
        found = found.filter(platform=platform)
    real = [c for c in found.order_by("detected_at", "id") if c.status != Crisis.Status.DISMISSED]
    durations = [(c.closed_at - c.started_at).total_seconds() for c in real if c.closed_at]
    alerts = [(c.detected_at - c.started_at).total_seconds() for c in real]
    return {
        "count": len(real),
        "false_alarms": found.filter(status=Crisis.Status.DISMISSED).count(),
        "open": sum(1 for c in real if c.active),
        "median_duration_minutes": _median(durations, 60),
        "median_minutes_to_first_alert": _median(alerts, 60),
        "list": [_crisis(c) for c in real],
    }


def _iso(moment: datetime) -> str:
    """In Paris time, as the rest of the API writes its dates."""
    return timezone.localtime(moment).isoformat()


def _crisis(crisis: Crisis) -> dict:
    return {
        "id": crisis.pk,
        "title": crisis.title,
        "platform": crisis.platform,
        "status": crisis.status,
        "started_at": _iso(crisis.started_at),
        "detected_at": _iso(crisis.detected_at),
        "closed_at": _iso(crisis.closed_at) if crisis.closed_at else None,
        "minutes_to_first_alert": _minutes(crisis.detected_at - crisis.started_at),
        "duration_minutes": _minutes(crisis.closed_at - crisis.started_at) if crisis.closed_at else None,
        "explanation": crisis.explanation,
        "review": {
            "what_happened": crisis.review_what_happened,
            "what_worked": crisis.review_what_worked,
            "to_change": crisis.review_to_change,
        },
    }


def _rounds(period: Period) -> dict:
    rows = Round.objects.filter(day__gte=period.start, day__lte=period.end).values("slot", "status")
    by_slot: dict[str, dict[str, int]] = defaultdict(lambda: {"done": 0, "missed": 0})
    for row in rows.annotate(n=Count("id")).order_by():
        if row["status"] in (Round.Status.DONE, Round.Status.MISSED):
            by_slot[row["slot"]][row["status"]] += row["n"]
    return {
        "done": sum(s["done"] for s in by_slot.values()),
        "missed": sum(s["missed"] for s in by_slot.values()),
        "by_slot": {slot: by_slot[slot] for slot in ("morning", "noon", "evening")},
    }


def _classification(rows) -> dict:
    by_label = {}
    for label in LABEL_KEYS:
        mine = [row for row in rows if row["model_label"] == label]
        classified = sum(r["messages"] for r in mine)
        reviewed, corrected = sum(r["reviewed"] for r in mine), sum(r["corrected"] for r in mine)
        by_label[label] = {
            "classified": classified,
            "reviewed": reviewed,
            "corrected": corrected,
            "corrected_share": share(corrected, classified),
            "corrected_share_of_reviewed": share(corrected, reviewed),
        }
    totals = {name: sum(v[name] for v in by_label.values()) for name in ("classified", "reviewed", "corrected")}
    return {
        **totals,
        "corrected_share": share(totals["corrected"], totals["classified"]),
        "corrected_share_of_reviewed": share(totals["corrected"], totals["reviewed"]),
        "by_label": by_label,
    }


def _steps(period: Period) -> list[tuple[date, date, str]]:
    """The chart's steps: each day, or each week (from Monday) when the period is long."""
    if period.days <= DAILY_UP_TO:
        return [(day, day, f"{day:%d/%m}") for day in period.each_day()]
    steps, start = [], period.start
    while start <= period.end:
        end = min(start + timedelta(days=6 - start.weekday()), period.end)
        steps.append((start, end, f"sem. du {start:%d/%m}"))
        start = end + timedelta(days=1)
    return steps


def series(period: Period, days: dict, platform: str | None, waiting: Counter[date]) -> dict:
    points = []
    for start, end, name in _steps(period):
        rows = [
            row
            for day, d in days.items()
            if start <= day <= end
            for row in d.rows
            if platform in (None, row["platform"])
        ]
        pm = [row for row in rows if row["kind"] == "private_message"]
        by_label = _sum_by(rows, "label", LABEL_KEYS)
        points.append(
            {
                "from": start.isoformat(),
                "to": end.isoformat(),
                "name": name,
                "messages": sum(by_label.values()),
                "by_label": by_label,
                "needing_reply": sum(r["needing_reply"] for r in pm),
                "answered_within_24h": sum(r["on_time"] for r in pm),
                "answered_late": sum(r["late"] for r in pm),
                "waiting": sum(count for day, count in waiting.items() if start <= day <= end),
            }
        )
    return {"step": "day" if period.days <= DAILY_UP_TO else "week", "points": points}
