"""`vigie bench indicators`: the « Indicateurs » page, the API and the monthly report timed on a large
database.

The database is filled as `vigie bench inbox` fills it (a year of messages, up to N), then given what the
indicators read: a classification per incoming message (labels mixed, some corrected or confirmed,
some attacks on staff), done moderation actions, reports, complex-request tasks, crises and rounds.
The daily tallies are then brought up to date (timed: the first time counts every day), and the page,
the API (this week, this month, this quarter, 90 free days) and the PDF of last month are timed.
"""

import random
import time
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone

from vigie.api import tokens
from vigie.crisis.models import Crisis
from vigie.helpdesk.models import Task
from vigie.inbox.models import Item, Message
from vigie.indicators import tally
from vigie.indicators.periods import month_of, paris_day
from vigie.moderation.models import PlatformAction
from vigie.ops import bench_inbox
from vigie.records.models import PlatformReport
from vigie.rounds.models import Round, Slot
from vigie.triage.models import Classification

# a desk's usual mix (percent): mostly positive messages and questions, a quarter inappropriate
LABEL_SHARES = [("positive_neutral", 35), ("question", 25), ("complex_request", 5), ("criticism", 10), ("spam", 10),
                ("abuse", 6), ("misinformation", 4), ("conflict", 5)]  # fmt: skip
LABEL_CASE = (
    "CASE "
    + " ".join(
        f"WHEN m.id * 7919 %% 100 < {sum(share for _, share in LABEL_SHARES[: n + 1])} THEN '{label}'"
        for n, (label, _) in enumerate(LABEL_SHARES)
    )
    + " END"
)
# the labels are constants of the code; the only value, the newest message already classified, is a parameter
CLASSIFY = f"""
INSERT INTO triage_classification (message_id, label, confidence, targets_staff, mention_to_check, signals,
    proposed_actions, priority, model_version, text_sha256, classified_at, corrected_label, corrected_at)
SELECT m.id, {LABEL_CASE}, 0.9, m.id %% 97 = 0, FALSE, '[]', '[]', 'normal', 'bench', '',
    CURRENT_TIMESTAMP, CASE WHEN m.id %% 41 = 0 THEN 'question' ELSE '' END,
    CASE WHEN m.id %% 41 = 0 OR m.id %% 17 = 0 THEN m.created_at END
FROM inbox_message m
WHERE m.kind <> 'reply' AND m.id > %s
"""  # noqa: S608


def fill(target: int, out) -> None:
    bench_inbox.fill(target, out)
    newest = Classification.objects.order_by("-message_id").values_list("message_id", flat=True).first() or 0
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(CLASSIFY, [newest])
    out(f"indicators.classify ({time.perf_counter() - started:.0f} s)")
    if not PlatformAction.objects.filter(dedup_key__startswith="bench-").exists():
        _desk_history(out)
    with connection.cursor() as cursor:  # as autovacuum would: statistics, and the visibility index-only scans need
        vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block  # (a test's transaction)
        cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")


def _desk_history(out) -> None:
    """A year of what the desk did: moderation, reports, tasks, crises and rounds."""
    rng = random.Random(12)
    user = _user()
    now = timezone.now()
    comments = list(
        Message.objects.filter(kind="comment").order_by("?").values_list("pk", "channel_id", "created_at")[:6000]
    )
    actions = [
        PlatformAction(
            channel_id=channel,
            verb=rng.choice(["hide", "delete", "delete", "block", "unhide"]),
            target_message_id=pk,
            dedup_key=f"bench-{pk}",
            status=rng.choice(["done"] * 9 + ["failed"]),
        )
        for pk, channel, _ in comments
    ]
    PlatformAction.objects.bulk_create(actions, batch_size=2000)
    for action, (_, _, came) in zip(actions, comments, strict=True):
        action.created_at = came + timedelta(minutes=rng.randint(5, 600))
    PlatformAction.objects.bulk_update(actions, ["created_at"], batch_size=2000)
    PlatformReport.objects.bulk_create(
        [
            PlatformReport(message_id=pk, platform="facebook", reported_at=came + timedelta(hours=1))
            for pk, _, came in comments[:300]
        ]
    )
    items = list(Item.objects.filter(kind="private_message").order_by("?").values_list("pk", "received_at")[:3000])
    tasks = Task.objects.bulk_create(
        [
            Task(
                item_id=pk,
                title="Faire le point",
                owner=user,
                created_by=user,
                due_on=paris_day(came) + timedelta(days=7),
                status="done" if came < now - timedelta(days=10) else "open",
            )
            for pk, came in items
        ]
    )
    for task, (_, came) in zip(tasks, items, strict=True):
        task.created_at = came
        task.closed_at = came + timedelta(hours=rng.randint(4, 200)) if task.status == "done" else None
    Task.objects.bulk_update(tasks, ["created_at", "closed_at"], batch_size=2000)
    for n in range(40):
        started = now - timedelta(days=rng.randint(1, 360), hours=rng.randint(0, 23))
        Crisis.objects.create(
            signal=rng.choice(["staff_attack", "volume_surge", "disinformation"]),
            status="closed",
            platform="facebook",
            explanation=f"Crise de charge n° {n}",
            started_at=started,
            detected_at=started + timedelta(minutes=rng.randint(2, 40)),
            last_message_at=started + timedelta(hours=2),
            closed_at=started + timedelta(hours=5),
        )
    day = paris_day(now) - timedelta(days=365)
    rounds = []
    while day < paris_day(now):
        for slot in Slot.values:
            rounds.append(
                Round(
                    day=day,
                    slot=slot,
                    window_start=now,
                    window_end=now,
                    status="missed" if rng.random() < 0.05 else "done",
                )
            )
        day += timedelta(days=1)
    Round.objects.bulk_create(rounds, ignore_conflicts=True)
    out(f"indicators.history actions={len(actions)} tasks={len(tasks)} rounds={len(rounds)}")


def _user():
    user, _ = get_user_model().objects.get_or_create(username="bench-direction")
    user.groups.add(Group.objects.get(name="direction"))  # reads the inbox too (the comparison line)
    return user


def measure(repeat: int, out) -> None:
    started = time.perf_counter()
    days = tally.refresh()
    out(f"indicators.refresh days={days} ({time.perf_counter() - started:.1f} s)")
    started = time.perf_counter()
    days = tally.refresh()
    out(f"indicators.refresh_again days={days} ({(time.perf_counter() - started) * 1000:.0f} ms)")
    user = _user()
    client = Client()
    client.force_login(user)
    token = tokens.issue(user)[1]
    today = paris_day(timezone.now())
    views = {
        "inbox_first_page": "/boite/",  # for comparison: the same machine, the same moment
        "page_week": "/indicateurs/?period=week",
        "page_month": "/indicateurs/?period=month",
        "page_quarter": "/indicateurs/?period=quarter",
        "page_90_days": f"/indicateurs/?from={today - timedelta(days=89)}&to={today}",
        "page_month_facebook": "/indicateurs/?period=month&platform=facebook",
        "csv_labels_quarter": "/indicateurs/export/labels.csv?period=quarter",
    }
    for name, url in views.items():
        p50, p95 = bench_inbox._time(lambda url=url: bench_inbox._ok(client.get(url)), repeat)
        out(f"indicators.{name} p50={p50:.1f}ms p95={p95:.1f}ms")
    api = {
        "api_month": f"/api/v1/indicators?from={today.replace(day=1)}&to={today}",
        "api_90_days": f"/api/v1/indicators?from={today - timedelta(days=89)}&to={today}",
    }
    for name, url in api.items():
        call = lambda url=url: bench_inbox._ok(client.get(url, HTTP_AUTHORIZATION=f"Bearer {token}"))  # noqa: E731
        p50, p95 = bench_inbox._time(call, repeat)
        out(f"indicators.{name} p50={p50:.1f}ms p95={p95:.1f}ms")
    from vigie.indicators import pdf

    month = month_of(today.replace(day=1) - timedelta(days=1))
    started = time.perf_counter()
    document = pdf.render(month, now=timezone.now())
    out(f"indicators.monthly_pdf {len(document) // 1024} Ko ({time.perf_counter() - started:.2f} s)")
