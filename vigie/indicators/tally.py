"""Daily tallies of the incoming messages: computed from the messages in SQL (GROUP BY Paris day,
platform, kind, label), stored for days that are over, read back for a period.

One function counts (`compute`); the stored tallies are its output kept, and a day that is not stored
(today, or a day the refresh has not reached) is counted live by the same function, so that stored and
live figures cannot differ in how they count. `refresh` stores again the days whose messages changed:
new messages (by id), answers (`replied_at`), labels corrected or confirmed and texts classified again
since the last refresh (ten minutes of overlap for transactions still open then), plus, once a night,
the last 35 days whatever happened.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import Count, F, Q, Sum, Value
from django.db.models.functions import Coalesce, NullIf, TruncDate
from django.utils import timezone

from vigie.inbox.models import Message
from vigie.indicators.models import DailyOffender, DailyTally, TallyDay, TallyState
from vigie.indicators.periods import Period, paris_day
from vigie.lib.clock import PARIS
from vigie.triage.models import INAPPROPRIATE, Classification

INCOMING = ("comment", "private_message")
COUNTS = ("messages", "targets_staff", "reviewed", "corrected", "needing_reply", "on_time", "late", "unanswered")
OVERLAP = timedelta(minutes=10)
DEEP_DAYS = 35
CHUNK_DAYS = 31  # a long backfill counts a month at a time

INAPPROPRIATE_Q = Q(classification__corrected_label__in=INAPPROPRIATE) | Q(
    classification__corrected_label="", classification__label__in=INAPPROPRIATE
)
_COUNTED = {
    "messages": Q(),
    "targets_staff": Q(classification__targets_staff=True),
    "reviewed": Q(classification__corrected_at__isnull=False),
    "corrected": Q(classification__corrected_label__gt=""),
    "needing_reply": Q(reply_due_at__isnull=False),
    # answered by the deadline, the deadline itself included (sla.deadlines.state: met when replied <= due)
    "on_time": Q(replied_at__lte=F("reply_due_at")),
    "late": Q(replied_at__gt=F("reply_due_at")),
    "unanswered": Q(reply_due_at__isnull=False, replied_at__isnull=True),
}


@dataclass
class Day:
    """What one Paris day holds: counted rows, and the inappropriate messages by platform and author or
    person (a day counted live keeps them here; a stored day keeps them in DailyOffender)."""

    rows: list[dict] = field(default_factory=list)
    offenders: dict[str, dict[str, int]] = field(default_factory=dict)
    stored: bool = False


def _day():
    return TruncDate("created_at", tzinfo=PARIS)


def _incoming(first: date, last: date):
    start, end = Period(first, last).bounds()
    return Message.objects.filter(created_at__gte=start, created_at__lt=end, kind__in=INCOMING)


def compute(first: date, last: date) -> dict[date, Day]:
    """Every day from `first` to `last` (Paris), counted from the messages."""
    days = {day: Day() for day in Period(first, last).each_day()}
    incoming = _incoming(first, last).annotate(day=_day(), platform=F("channel__platform"))
    label = Coalesce(NullIf("classification__corrected_label", Value("")), "classification__label", Value(""))
    rows = incoming.annotate(label=label, model_label=Coalesce("classification__label", Value(""))).values(
        "day", "platform", "kind", "label", "model_label"
    )
    for row in rows.annotate(**{name: Count("id", filter=q) for name, q in _COUNTED.items()}).order_by():
        days[row.pop("day")].rows.append(row)
    offenders = incoming.filter(INAPPROPRIATE_Q).values("day", "platform", "author_id", "author__person_id")
    for row in offenders.annotate(n=Count("id")).order_by():
        key = f"p{row['author__person_id']}" if row["author__person_id"] else f"a{row['author_id']}"
        by_key = days[row["day"]].offenders.setdefault(row["platform"], {})
        by_key[key] = by_key.get(key, 0) + row["n"]
    return days


def _ranges(days: list[date]) -> list[tuple[date, date]]:
    """Sorted days as contiguous ranges of at most CHUNK_DAYS."""
    ranges: list[list[date]] = []
    for day in sorted(days):
        if ranges and day == ranges[-1][1] + timedelta(days=1) and (day - ranges[-1][0]).days < CHUNK_DAYS:
            ranges[-1][1] = day
        else:
            ranges.append([day, day])
    return [(first, last) for first, last in ranges]


FIELDS = ("platform", "kind", "label", "model_label", *COUNTS)


def read(period: Period, today: date) -> dict[date, Day]:
    """The period's days: stored ones as stored, the others (today among them) counted now."""
    stored = TallyDay.objects.filter(day__gte=period.start, day__lte=period.end, day__lt=today)
    days = {day: Day(stored=True) for day in stored.values_list("day", flat=True)}
    rows = DailyTally.objects.filter(day__gte=period.start, day__lte=period.end, day__in=list(days))
    for day, *values in rows.values_list("day", *FIELDS):
        days[day].rows.append(dict(zip(FIELDS, values, strict=True)))
    for first, last in _ranges([day for day in period.each_day() if day not in days]):
        days.update(compute(first, last))
    return days


def repeat_offenders(days: dict[date, Day], platform: str | None) -> int:
    """People (or authors) with two inappropriate messages or more over the days: summed in SQL over the
    stored days, with the live days' counts added for the people they name."""
    live = merged_offenders([day for day in days.values() if not day.stored], platform)
    stored = DailyOffender.objects.filter(day__in=[d for d, day in days.items() if day.stored])
    if platform:
        stored = stored.filter(platform=platform)
    totals = stored.values("key").annotate(n=Sum("messages")).order_by()
    already = totals.filter(n__gte=2).count()
    before = dict(totals.filter(key__in=list(live)).values_list("key", "n")) if live else {}
    return already + sum(1 for key, n in live.items() if before.get(key, 0) < 2 <= before.get(key, 0) + n)


def store(days: set[date] | list[date], now: datetime) -> int:
    """Count these days again and keep their tallies; how many days. A transaction per month at most, so
    that counting a year never holds the database (SQLite has one writer) for long."""
    days = sorted(days)
    for first, last in _ranges(days):
        _store_range(first, last, now)
    return len(days)


@transaction.atomic
def _store_range(first: date, last: date, now: datetime) -> None:
    TallyState.objects.select_for_update().filter(pk=TallyState.load().pk).first()  # one writer at a time
    counted = compute(first, last)
    for model in (DailyTally, DailyOffender, TallyDay):
        model.objects.filter(day__gte=first, day__lte=last).delete()
    TallyDay.objects.bulk_create([TallyDay(day=d, computed_at=now) for d in counted])
    rows = [DailyTally(day=d, **row) for d, c in counted.items() for row in c.rows]
    DailyTally.objects.bulk_create(rows, batch_size=1000)
    offenders = [
        DailyOffender(day=d, platform=platform, key=key, messages=n)
        for d, c in counted.items()
        for platform, by_key in c.offenders.items()
        for key, n in by_key.items()
    ]
    DailyOffender.objects.bulk_create(offenders, batch_size=2000)


def _days_of(messages) -> set[date]:
    return set(messages.annotate(day=_day()).values_list("day", flat=True).distinct())


def changed_days(state: TallyState, now: datetime, *, deep: bool) -> set[date]:
    """The days whose messages changed since the last refresh (all of them the first time)."""
    if not TallyDay.objects.exists():
        first = Message.objects.filter(kind__in=INCOMING).order_by("created_at").values_list("created_at", flat=True)
        start = first.first()
        return set(Period(paris_day(start), paris_day(now)).each_day()) if start else set()
    since = (state.refreshed_at or now) - OVERLAP
    days = _days_of(Message.objects.filter(pk__gt=state.last_message_id, kind__in=INCOMING))
    days |= _days_of(Message.objects.filter(replied_at__gte=since, kind__in=INCOMING))
    touched = Classification.objects.filter(Q(corrected_at__gte=since) | Q(classified_at__gte=since))
    days |= _days_of(Message.objects.filter(pk__in=touched.values("message_id")))
    if deep:
        today = paris_day(now)
        days |= {today - timedelta(days=n) for n in range(1, DEEP_DAYS + 1)}
    return days


def refresh(now: datetime | None = None, *, deep: bool = False) -> int:
    """Store again what changed (days that are over only: today is always counted live); how many days."""
    now = now or timezone.now()
    state = TallyState.load()
    newest = Message.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    today = paris_day(now)
    count = store({day for day in changed_days(state, now, deep=deep) if day < today}, now)
    TallyState.objects.filter(pk=state.pk).update(last_message_id=newest, refreshed_at=now)
    return count


def merged_offenders(days, platform: str | None) -> dict[str, int]:
    """Inappropriate messages by person (or author) over the days, on one platform or all."""
    total: dict[str, int] = defaultdict(int)
    for day in days:
        for name, by_key in day.offenders.items():
            if platform in (None, name):
                for key, n in by_key.items():
                    total[key] += n
    return total
