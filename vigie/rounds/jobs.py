"""The desk's clock, run every minute by the worker (`tasks.py`); each job can run twice harmlessly.

- A round whose window ends before it is signed off is marked missed; the direction and the community
  managers are told.
- Near the end of a window, the community managers are reminded of a round not signed off yet.
- A private message nearing its deadline raises its item's priority (audited, through the inbox's
  actions) and tells the person it is assigned to, or else every community manager.
"""

from datetime import datetime, timedelta
from textwrap import shorten

from django.db import transaction
from django.db.models import F
from django.urls import reverse

from vigie.accounts.roles import COMMUNITY_MANAGER, DIRECTION
from vigie.audit.record import record
from vigie.inbox import actions
from vigie.inbox.models import Item
from vigie.inbox.status import OPEN
from vigie.lib.clock import PARIS
from vigie.notifications.models import Kind
from vigie.notifications.service import notify, notify_people
from vigie.rounds import service
from vigie.rounds.models import Round
from vigie.sla import deadlines
from vigie.vocabulary import Priority

REMIND_BEFORE_END = timedelta(minutes=30)
CATCH_UP_DAYS = 3  # after the worker was stopped, rounds of the last days are still marked missed
WARN_LATE_AT_MOST = timedelta(hours=24)  # older deadlines (imported history) raise no alarm
RULE = "Délai de réponse"


def _days_back(now: datetime):
    today = now.astimezone(PARIS).date()
    return [today - timedelta(days=n) for n in range(CATCH_UP_DAYS, -1, -1)]


def mark_missed(now: datetime) -> list[Round]:
    missed = []
    for day in _days_back(now):
        for plan in service.planned(day):
            unsigned = plan.round is None or plan.round.status in (Round.Status.DUE, Round.Status.STARTED)
            if plan.end <= now and plan.window.created_at < plan.end and unsigned:
                row = _mark_missed(plan, now)
                if row is not None:
                    missed.append(row)
    return missed


@transaction.atomic
def _mark_missed(plan: service.Planned, now: datetime) -> Round | None:
    row = service.row_for(plan)
    if row.status not in (Round.Status.DUE, Round.Status.STARTED):
        return None
    started = row.status == Round.Status.STARTED
    row.status, row.missed_at = Round.Status.MISSED, now
    row.save(update_fields=["status", "missed_at"])
    why = "commencé mais pas signé" if started else "pas fait"
    record(None, "round.missed", row, summary=f"{row} manqué ({why} avant {plan.end:%H:%M})")
    body = f"Le tour n'a pas été signé avant {plan.end:%H:%M} ({why})."
    notify([DIRECTION, COMMUNITY_MANAGER], f"{row} manqué", body, link=reverse("rounds:list"),
           reason="Tour de veille manqué", kind=Kind.DEADLINE, about=row, urgent=True)  # fmt: skip
    return row


def remind(now: datetime) -> list[Round]:
    reminded = []
    for plan in service.today(now):
        near_end = plan.is_open(now) and plan.end - now <= REMIND_BEFORE_END
        if near_end and plan.status(now) in (Round.Status.DUE, Round.Status.STARTED):
            row = _remind(plan, now)
            if row is not None:
                reminded.append(row)
    return reminded


@transaction.atomic
def _remind(plan: service.Planned, now: datetime) -> Round | None:
    row = service.row_for(plan)
    if row.reminded_at is not None or row.status not in (Round.Status.DUE, Round.Status.STARTED):
        return None
    row.reminded_at = now
    row.save(update_fields=["reminded_at"])
    notify([COMMUNITY_MANAGER], f"{row} à signer avant {plan.end:%H:%M}",
           "Le tour de veille n'est pas encore signé ; sans signature il sera marqué manqué.",
           link=reverse("rounds:list"), reason="Rappel du tour de veille", kind=Kind.DEADLINE, about=row,
           urgent=True)  # fmt: skip
    return row


def warn_near_deadlines(now: datetime) -> list[int]:
    """Items whose private message nears its deadline (or just passed it) and was not announced yet."""
    candidates = (
        Item.objects.filter(status__in=OPEN, reply_due_at__lte=now + deadlines.DUE_SOON)
        .filter(reply_due_at__gt=now - WARN_LATE_AT_MOST)
        .exclude(warned_for=F("reply_due_at"))
        .values_list("pk", flat=True)
    )
    return [pk for pk in list(candidates) if _warn(pk, now)]


@transaction.atomic
def _warn(item_id: int, now: datetime) -> bool:
    item = Item.objects.select_for_update(of=("self",)).select_related("assignee", "message__author").get(pk=item_id)
    if item.reply_due_at is None or item.warned_for == item.reply_due_at:
        return False
    if item.priority < Priority.URGENT:
        actions.set_priority(item, Priority.URGENT, by=None, rule=RULE)
    Item.objects.filter(pk=item.pk).update(warned_for=item.reply_due_at)
    late = item.reply_due_at <= now
    message = item.message
    state = "Message privé en retard" if late else "Message privé à répondre bientôt"
    title = f"{state} : {message.author_name} sur {item.get_platform_display()}"
    when = item.reply_due_at.astimezone(PARIS)
    due = f"La réponse était due le {when:%d/%m à %H:%M}." if late else f"Réponse due avant le {when:%d/%m à %H:%M}."
    body = f"{due} « {shorten(message.text, 200, placeholder='…')} »"
    link = reverse("inbox:item", args=[item.pk])
    told = dict(link=link, reason=RULE, kind=Kind.DEADLINE, about=item, urgent=late)
    if item.assignee is not None and item.assignee.is_active:
        notify_people([item.assignee], title, body, **told)
    else:
        notify([COMMUNITY_MANAGER], title, body, **told)
    return True
