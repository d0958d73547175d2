"""Four months of history for `vigie demo`, so that every chart of « Indicateurs » has something to say:
messages (the demo's own texts, on other days) through the import path and the real classifier, the
Page's answers to private messages after varying delays, two crises opened by the real detectors and closed
with their review, moderation done, complex requests followed, and the rounds of the last weeks.

What the code cannot date in the past (an action's or a task's creation, a crisis's closing) is done
through the actions layer, then dated back: this is staged history. Run twice, it adds nothing.
"""

import json
import random
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import QuerySet

from vigie.connectors.base import NormalizedMessage
from vigie.crisis import actions as crisis_actions
from vigie.crisis.demo import ATTACKS
from vigie.crisis.models import Crisis, CrisisMessage
from vigie.crisis.service import following_event_time
from vigie.demo.files import DATA
from vigie.helpdesk import service as helpdesk
from vigie.helpdesk.models import Task
from vigie.inbox import actions
from vigie.inbox.models import Item, Message
from vigie.inbox.status import Status
from vigie.indicators.periods import paris_day
from vigie.ingestion import raw_events
from vigie.ingestion.models import RawEvent
from vigie.lib.clock import PARIS
from vigie.moderation.models import PlatformAction
from vigie.notifications.models import Notification
from vigie.pipeline import processing
from vigie.rounds import service
from vigie.rounds.models import Round
from vigie.triage.models import UNCERTAIN_BELOW

PREFIX = "hist-"
DAYS = 120
# the demo's own messages (`files.py`) are the inbox to treat: staged rounds leave them open, and say so
DEMO_LEFT_OPEN = "Les messages de la démonstration restent à traiter dans la boîte de réception."
ROUND_DAYS = 30
LEFT_FOR_NEXT = 0.1  # the share of new arrivals a round leaves for the next one
PAGE = "104857600123456"


def _texts() -> list[dict]:
    return [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]


def _per_day(rng: random.Random, days_ago: int, moment: datetime) -> int:
    """More on weekdays, a little more as the months go (the page grows)."""
    base = 1 if moment.weekday() >= 5 else 2  # a few a day: `vigie demo` stays quick to start
    return base + rng.randint(0, 2) + (DAYS - days_ago) // 40


def records(now: datetime, rng: random.Random) -> list[dict]:
    texts, found = _texts(), []
    for days_ago in range(DAYS, 0, -1):
        day = (now - timedelta(days=days_ago)).astimezone(PARIS).replace(hour=8, minute=0, second=0, microsecond=0)
        for n in range(_per_day(rng, days_ago, day)):
            source = rng.choice(texts)
            moment = day + timedelta(minutes=rng.randint(0, 13 * 60))
            key = f"{PREFIX}{days_ago}-{n}"
            record = {**source, "id": key, "created_at": moment.isoformat()}
            if rng.random() > 0.1:  # most people write once; the others come back (repeat offenders among them)
                record["author"] = {**source["author"], "id": f"{PREFIX}{key}"}
            if source["kind"] == "private_message":
                record["thread_id"] = f"psid:{key}"
            else:
                record["thread_id"] = f"{PREFIX}post-{days_ago}-{source['platform']}"
                record["post"] = {"id": record["thread_id"], "text": f"Notre publication du {moment:%d/%m}"}
            record.pop("parent_id", None)
            found.append(record)
    return found


def _answer(message: Message, after: timedelta) -> None:
    actions.ingest_page_reply(NormalizedMessage(
        platform="facebook", channel_external_id=PAGE, kind="reply", external_id=f"{message.external_id}-reponse",
        thread_external_id=message.thread.external_id, author_external_id=PAGE, author_name="",
        text="Bonjour, merci pour votre message : voici la réponse à votre question.",
        created_at=message.created_at + after,
    ))  # fmt: skip


def _answers(rng: random.Random) -> None:
    """Most private messages answered, in a few hours, some the next day, a few much later or never."""
    due = Message.objects.filter(external_id__startswith=PREFIX, kind="private_message", reply_due_at__isnull=False)
    for message in due.select_related("thread").order_by("created_at"):
        roll = rng.random()
        if roll < 0.08:
            continue
        hours = rng.uniform(0.2, 6) if roll < 0.6 else rng.uniform(6, 23.5) if roll < 0.88 else rng.uniform(24.5, 60)
        with transaction.atomic():
            _answer(message, timedelta(hours=hours))


def _crisis(now: datetime, days_ago: int, people: dict) -> None:
    """Attacks on the director through the pipeline (the detectors, in event time), then the review."""
    start = (now - timedelta(days=days_ago)).astimezone(PARIS).replace(hour=20, minute=10)
    bodies = [json.dumps({"platform": "facebook", "kind": "comment", "id": f"{PREFIX}crise-{days_ago}-{i}",
                          "thread_id": f"{PREFIX}crise-{days_ago}", "parent_id": None,
                          "author": {"id": f"{PREFIX}crise-{days_ago}-{i}", "name": name}, "text": text,
                          "created_at": (start + timedelta(minutes=4 * i)).isoformat()}, ensure_ascii=False)
              for i, (text, name) in enumerate(ATTACKS)]  # fmt: skip
    with transaction.atomic():
        ids = raw_events.store(bodies, source=RawEvent.Source.IMPORT)
    with following_event_time():  # as `vigie replay` does: the detectors judge them at their own time
        processing.process_batch(ids)
    link = CrisisMessage.objects.filter(message__raw_event_id__in=ids).select_related("crisis").first()
    if link is None or not link.crisis.active:
        return
    crisis = crisis_actions.close(
        link.crisis, by=people["nadia"],
        what_happened="Trois commentaires insultants contre la directrice en une dizaine de minutes, un soir.",
        what_worked="Alerte reçue à temps, commentaires masqués avec preuve avant suppression.",
        to_change="Prévoir une personne d'astreinte le soir et un message type de recadrage.",
    )  # fmt: skip
    Crisis.objects.filter(pk=crisis.pk).update(closed_at=crisis.started_at + timedelta(hours=2, minutes=30))


def _moderation(rng: random.Random, people: dict) -> None:
    history = Message.objects.filter(external_id__startswith=PREFIX, kind="comment", channel__platform="facebook")
    inappropriate = history.filter(classification__label__in=["spam", "abuse"]).order_by("created_at")
    for message in inappropriate:
        if rng.random() < 0.6:
            continue
        verb = "delete" if message.classification.label == "spam" else rng.choice(["hide", "delete"])
        action = actions.moderate(message, verb, by=people[rng.choice(["camille", "lucas"])])
        PlatformAction.objects.filter(pk=action.pk).update(
            status=PlatformAction.Status.DONE, created_at=message.created_at + timedelta(hours=rng.uniform(0.5, 8))
        )


# what a moderator corrects a hesitant label to: the label it is usually confused with (« critique » for an
# attack, « demande complexe » for a question…), never one out of the blue (an insult corrected to « question »)
NEIGHBOURS = {
    "positive_neutral": ("question",),
    "question": ("complex_request", "positive_neutral"),
    "complex_request": ("question",),
    "criticism": ("abuse", "conflict"),
    "spam": ("positive_neutral",),
    "abuse": ("criticism", "conflict"),
    "misinformation": ("criticism", "conflict"),
    "conflict": ("criticism", "abuse"),
}


def _corrections(rng: random.Random, people: dict) -> None:
    """Moderators check some labels: most are confirmed; a few of those the model hesitated on are corrected,
    to a neighbouring label (classification quality; what the nightly learning learns from)."""
    history = Message.objects.filter(external_id__startswith=PREFIX, classification__isnull=False)
    for message in history.select_related("classification").order_by("created_at"):
        classification, roll = message.classification, rng.random()
        if roll < 0.12:
            actions.correct_label(message, classification.label, by=people["camille"])
        elif roll < 0.4 and classification.confidence < UNCERTAIN_BELOW:
            actions.correct_label(message, rng.choice(NEIGHBOURS[classification.label]), by=people["lucas"])


def _requests(now: datetime, rng: random.Random, people: dict) -> None:
    """Tasks on most complex requests, closed one to seven days later; one whose close would come after `now` is
    still open."""
    complex_ones = Message.objects.filter(external_id__startswith=PREFIX, classification__label="complex_request")
    for message in complex_ones.select_related("item__message__author").order_by("created_at"):
        if rng.random() < 0.4:
            continue
        opened = message.created_at + timedelta(hours=rng.uniform(1, 6))
        closed = opened + timedelta(hours=rng.uniform(20, 160))
        done = closed < now
        task = Task.objects.create(item=message.item, title=helpdesk.default_title(message.item),
                                   owner=people["sophie"], due_on=paris_day(opened) + timedelta(days=7),
                                   created_by=people["camille"], status="done" if done else "open",
                                   outcome="Réponse détaillée envoyée." if done else "")  # fmt: skip
        Task.objects.filter(pk=task.pk).update(created_at=opened, closed_at=closed if done else None)


def _rounds(now: datetime, rng: random.Random, people: dict) -> None:
    """The rounds of the last weeks, up to the clock's own (`clock.py`), as a desk does them: each treats what
    came since the one before (urgent first, a few left for the next), and says what it leaves open; a few
    missed. What came before them was treated back then."""
    today = paris_day(now)
    days = [today - timedelta(days=days_ago) for days_ago in range(ROUND_DAYS, 0, -1)]
    plans = [plan for day in days for plan in service.planned(day) if plan.round is None]
    if not plans:
        return
    _treat(plans[0].start, by=people["camille"], rng=rng, left_before=plans[0].start)
    for plan in plans:
        if rng.random() < 0.07:
            Round.objects.create(day=plan.day, slot=plan.window.slot, window_start=plan.start, window_end=plan.end,
                                 status=Round.Status.MISSED, missed_at=plan.end)  # fmt: skip
            continue
        who = people[rng.choice(["camille", "lucas"])]
        started = plan.start + timedelta(minutes=rng.randint(5, 40))
        row = service.start(plan.window.slot, by=who, now=started)
        handled = _treat(started, by=who, rng=rng, left_before=row.since)
        signed = started + timedelta(minutes=rng.randint(15, 45))
        service.sign_off(row, by=who, now=signed, **reasons_left_open(signed))
        Round.objects.filter(pk=row.pk).update(handled=handled)  # staged: its audit events are dated today


def _treat(at: datetime, *, by, rng: random.Random, left_before: datetime) -> int:
    """Mark the history's items that had come by `at` treated, as a round does: what is urgent, or was left by
    the round before (came by `left_before`), always; of the rest, a few are left for the next round."""
    urgent = set(service.urgent_items(at).values_list("pk", flat=True))
    found = service.left_open_items(at).filter(message__external_id__startswith=PREFIX).order_by("received_at", "pk")
    chosen = [i for i in found if i.pk in urgent or i.received_at <= left_before or rng.random() >= LEFT_FOR_NEXT]
    # staged: the history's comments are on no platform to take down (the audit says « laissé en ligne »)
    return actions.bulk_update(chosen, by=by, status=Status.DONE, left_undone=True)


def reasons_left_open(at: datetime) -> dict[str, str]:
    """What a staged round signed off at `at` writes about what it leaves open (nothing when nothing is)."""
    return {"left_open_reason": _why_left(service.left_open_items(at)),
            "urgent_reason": _why_left(service.urgent_items(at))}  # fmt: skip


def _why_left(left: QuerySet) -> str:
    if left.exclude(message__external_id__startswith=PREFIX).exists():
        return DEMO_LEFT_OPEN
    return "Repris au tour suivant : arrivés pendant le tour ou en attente d'une information." if left.exists() else ""


def _read_notifications(rng: random.Random) -> None:
    """What the history told the team was read long ago: its notifications are dated back to what they were
    about and, once that was settled (an item treated, a crisis closed), read within hours. Before, the direction
    found some forty unread alerts from the past four months, all dated the demo's start."""
    treated = Item.objects.filter(message__external_id__startswith=PREFIX, status=Status.DONE)
    closed = Crisis.objects.exclude(closed_at=None)
    moments = {f"item:{pk}": at for pk, at in treated.values_list("pk", "received_at")}
    moments |= {f"crisis:{pk}": at for pk, at in closed.values_list("pk", "detected_at")}
    read = list(Notification.objects.filter(key__in=moments, read_at=None))
    for notification in read:
        at = moments[notification.key] + timedelta(minutes=rng.uniform(1, 20))
        notification.created_at = notification.updated_at = at
        notification.emailed_at = at if notification.emailed_at else None
        notification.read_at = at + timedelta(hours=rng.uniform(0.5, 6))
    Notification.objects.bulk_update(read, ["created_at", "updated_at", "emailed_at", "read_at"], batch_size=500)


def stage_history(now: datetime) -> int:
    """The history, once; how many messages it brought."""
    if Message.objects.filter(external_id__startswith=PREFIX).exists():
        return 0
    people = {
        u.username: u for u in get_user_model().objects.filter(username__in=["nadia", "sophie", "camille", "lucas"])
    }
    rng = random.Random(2026)
    found = records(now, rng)
    with transaction.atomic():
        ids = raw_events.store([json.dumps(r, ensure_ascii=False) for r in found], source=RawEvent.Source.IMPORT)
    processing.process_batch(ids)
    _answers(rng)
    for days_ago in (78, 23):
        _crisis(now, days_ago, people)
    _moderation(rng, people)
    _corrections(rng, people)
    _requests(now, rng, people)
    _rounds(now, rng, people)
    _read_notifications(rng)
    return len(found)
