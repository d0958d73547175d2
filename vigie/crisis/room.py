"""What the « Cellule de crise » shows: the timeline, the volume against the usual rate, the follow-up."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from vigie.accounts.roles import COMMUNICATION, COMMUNITY_MANAGER, DIRECTION, ROLE_LABELS
from vigie.crisis import detection, publications, service
from vigie.crisis.models import Crisis, CrisisMessage, StatementPublication
from vigie.inbox.models import Message

CURVE_HOURS = 24


@dataclass
class Entry:
    at: datetime
    link: CrisisMessage | None = None
    text: str = ""
    actor: str = ""


def timeline(crisis: Crisis) -> list[Entry]:
    """The crisis's messages (platform, author, label, what was done) and people's decisions, in time order."""
    links = crisis.links.select_related(
        "message__thread", "message__author", "message__classification", "message__item"
    )
    entries = [Entry(link.at, link=link) for link in links]
    entries += [Entry(e.at, text=e.text, actor=str(e.actor or "Vigie")) for e in crisis.events.select_related("actor")]
    return sorted(entries, key=lambda e: e.at)


@dataclass
class Bar:
    start: datetime
    count: int
    usual: float
    height: int  # percent of the tallest bar
    usual_height: int


def curve(crisis: Crisis) -> list[Bar]:
    """Negative messages an hour on the crisis's platform, from a few hours before it to its latest message,
    against the page's usual rate for each hour."""
    end = max(crisis.last_message_at, crisis.detected_at) + timedelta(hours=1)
    start = max(crisis.started_at - timedelta(hours=6), end - timedelta(hours=CURVE_HOURS))
    start = start.replace(minute=0, second=0, microsecond=0)
    times = (
        Message.objects.filter(
            kind__in=service.INCOMING, thread__platform=crisis.platform, created_at__gte=start, created_at__lt=end
        )
        .filter(service._labelled(sorted(detection.NEGATIVE)))
        .values_list("created_at", flat=True)
    )
    hours = int((end - start) / timedelta(hours=1)) + 1
    counts = [0] * hours
    for at in times:
        counts[int((at - start) / timedelta(hours=1))] += 1
    thresholds = service.CrisisSettings.load().values()
    usual = [service.usual_rate(crisis.platform, start + timedelta(hours=h), thresholds).per_hour(
        start + timedelta(hours=h)) for h in range(hours)]  # fmt: skip
    top = max([*counts, *usual, 1])
    return [Bar(start + timedelta(hours=h), counts[h], round(usual[h], 1), round(100 * counts[h] / top),
                round(100 * usual[h] / top)) for h in range(hours)]  # fmt: skip


@dataclass
class FollowUp:
    messages: int
    last_hour: int
    per_hour: float
    publications: int  # of the statement, asked (replies and new posts)
    publications_online: int  # confirmed by their platform
    answers_to_statement: int  # messages received under them since


def follow_up(crisis: Crisis, now: datetime | None = None) -> FollowUp:
    """While open: how fast it goes now, and how far the statement went."""
    now = now or timezone.now()
    messages = crisis.links.count()
    last_hour = crisis.links.filter(at__gt=now - timedelta(hours=1)).count()
    span_hours = max(1.0, (crisis.last_message_at - crisis.started_at) / timedelta(hours=1))
    found = list(StatementPublication.objects.filter(statement__crisis=crisis).select_related("reply", "channel"))
    online = sum(1 for p in found if p.published_at or (p.reply_id and p.reply.delivery == Message.Delivery.SENT))
    answers = sum(_answers(publication) for publication in found)
    return FollowUp(messages, last_hour, round(messages / span_hours, 1), len(found), online, answers)


def _answers(publication: StatementPublication) -> int:
    """Messages received under a publication: after our reply in its thread, or on our new post."""
    incoming = Message.objects.filter(kind__in=service.INCOMING)
    if publication.reply_id:
        reply = publication.reply
        return incoming.filter(Q(parent=reply) | Q(thread=reply.thread, created_at__gt=reply.created_at)).count()
    key = publications.thread_key(publication)
    return incoming.filter(channel=publication.channel, thread__external_id=key).count() if key else 0


def people() -> list[tuple[str, list]]:
    """Who is involved, by role: the direction and the communication officer decide, the desk acts."""
    users = get_user_model().objects.filter(is_active=True)
    return [(ROLE_LABELS[role], list(users.filter(groups__name=role).order_by("username")))
            for role in (DIRECTION, COMMUNICATION, COMMUNITY_MANAGER)]  # fmt: skip
