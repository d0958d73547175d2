"""The demo's clock: private messages whose deadlines stand in every state (in time, due soon, overdue,
answered in time, answered late) and the last days' monitoring rounds, some signed, one missed.

Messages go in through the import path, replies as the Page's echoes from another tool, rounds through
the rounds' own actions and jobs: the demo shows what the code does, nothing is written by hand.
"""

import json
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction

from vigie.connectors.base import NormalizedMessage
from vigie.demo.files import PAGE
from vigie.demo.history import reasons_left_open
from vigie.inbox import actions
from vigie.ingestion import raw_events
from vigie.lib.clock import PARIS
from vigie.pipeline import processing
from vigie.rounds import jobs, service
from vigie.rounds.models import Round, RoundWindow
from vigie.sla.models import ClockSettings

# (key, hours since it came, hours after it the Page answered or None, author, question)
QUESTIONS = [
    ("a-temps", 2, None, "Léa Fontaine", "Bonjour, quelles sont les dates de la prochaine session à Lyon ?"),
    ("bientot", 21, None, "Karim Haddad", "Bonjour, est-ce que la formation est finançable par le CPF ?"),
    ("en-retard", 27, None, "Élodie Marchal", "Bonjour, combien coûte le cycle de praticien en hypnose ?"),
    ("repondu", 30, 5, "Hugo Lambert", "Bonjour, faut-il un prérequis pour s'inscrire au premier module ?"),
    ("repondu-tard", 50, 26, "Chloé Garnier", "Bonjour, où se trouvent vos locaux à Paris ? Y a-t-il un parking ?"),
]


def stage_clock(now: datetime) -> None:
    if Round.objects.exists():
        return
    _questions(now)
    with transaction.atomic():
        _answers(now)
    _rounds(now)


def _record(key: str, hours: float, author: str, text: str, now: datetime) -> str:
    return json.dumps({
        "platform": "facebook", "kind": "private_message", "id": f"m_demo_{key}", "thread_id": f"psid:demo-{key}",
        "parent_id": None, "author": {"id": f"demo-{key}", "name": author}, "text": text, "channel_id": PAGE,
        "created_at": (now - timedelta(hours=hours)).isoformat(),
    })  # fmt: skip


def _questions(now: datetime) -> None:
    bodies = [_record(key, hours, author, text, now) for key, hours, _, author, text in QUESTIONS]
    processing.process_batch(raw_events.store(bodies, source="import"))


def _answers(now: datetime) -> None:
    for key, hours, answered_after, _, _ in QUESTIONS:
        if answered_after is None:
            continue
        actions.ingest_page_reply(NormalizedMessage(
            platform="facebook", channel_external_id=PAGE, kind="reply", external_id=f"m_demo_reponse_{key}",
            thread_external_id=f"psid:demo-{key}", author_external_id=PAGE, author_name="",
            text="Bonjour, merci pour votre message : vous trouverez toutes les informations sur notre site.",
            created_at=now - timedelta(hours=hours - answered_after),
        ))  # fmt: skip


def previous_open_day(now: datetime):
    calendar = ClockSettings.current().calendar()
    day = now.astimezone(PARIS).date() - timedelta(days=1)
    while not calendar.is_open_day(day):
        day -= timedelta(days=1)
    return day


def _rounds(now: datetime) -> None:
    """The last open day: morning and noon signed, evening missed; today: what has ended is signed."""
    User = get_user_model()
    camille, lucas = User.objects.get(username="camille"), User.objects.get(username="lucas")
    day = previous_open_day(now)
    RoundWindow.all_windows()
    RoundWindow.objects.update(created_at=datetime.combine(day, datetime.min.time(), tzinfo=PARIS))
    done = [p for p in service.planned(day) if p.window.slot != "evening"]
    done += [p for p in service.today(now) if p.end <= now]
    for index, plan in enumerate(done):
        _do(plan, (camille, lucas)[index % 2])
    for plan in service.planned(day):  # as the worker's clock does, when the window ends
        jobs.mark_missed(min(plan.end, now))
    jobs.mark_missed(now)


def _do(plan: service.Planned, who) -> None:
    started = plan.start + timedelta(minutes=10)
    row = service.start(plan.window.slot, by=who, now=started)
    signed = started + timedelta(minutes=35)
    service.sign_off(row, by=who, now=signed, **reasons_left_open(signed))
