"""Detection inside the pipeline: new messages are observed after triage, in event-time order; each one
joins an active crisis or opens a new one (detection.decide), in the ingesting transaction.

The clock is the messages' own `created_at`. Outside `vigie replay`, a message older than
`LIVE_HORIZON` (an import of last year's export, a late poll) is counted but opens nothing.
"""

import contextlib
import logging
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from vigie.accounts.people import name_of
from vigie.accounts.roles import COMMUNITY_MANAGER
from vigie.audit.record import record
from vigie.crisis import detection
from vigie.crisis.models import Crisis, CrisisEvent, CrisisMessage, CrisisSettings
from vigie.inbox.models import LABEL_NAMES, Message
from vigie.notifications.models import Kind
from vigie.notifications.service import notify

log = logging.getLogger(__name__)

LIVE_HORIZON = timedelta(hours=6)
INCOMING = (Message.Kind.COMMENT, Message.Kind.PRIVATE_MESSAGE)
ASK_TO_CHECK = "Fausse information possible : étiquettes à vérifier"
_follow_events = False


@contextlib.contextmanager
def following_event_time():
    """`vigie replay`: every message is "now" when it arrives, however old."""
    global _follow_events
    _follow_events = True
    try:
        yield
    finally:
        _follow_events = False


def observe(messages: Iterable[Message]) -> list[Crisis]:
    """Detection for messages just triaged; the crises it opened."""
    ids = [m.pk for m in messages if m.incoming and not m.removed]
    if not ids:
        return []
    incoming = list(
        Message.objects.filter(pk__in=ids)
        .select_related("classification", "thread", "author")
        .order_by("created_at", "pk")  # one query for the batch, in event-time order
    )
    thresholds = CrisisSettings.load().values()
    claims = _misinformation_times(incoming, thresholds)
    opened = []
    for message in incoming:
        obs = observation(message)
        window = timedelta(hours=thresholds.disinfo_window_hours)
        claim_around = any(obs.at - window < at <= obs.at for at in claims)
        if claim_around or obs.negative or obs.targets_staff:
            opened += _decide(message, obs, claim_around, thresholds)
    return opened


def _misinformation_times(messages: list[Message], t: detection.Thresholds) -> list[datetime]:
    start = messages[0].created_at - timedelta(hours=t.disinfo_window_hours)
    return list(
        Message.objects.filter(kind__in=INCOMING, created_at__gt=start, created_at__lte=messages[-1].created_at)
        .filter(_labelled([detection.MISINFORMATION]))
        .values_list("created_at", flat=True)
    )


def _labelled(labels) -> Q:
    return Q(classification__corrected_label__in=labels) | Q(
        classification__corrected_label="", classification__label__in=labels
    )


def observation(message: Message) -> detection.Observation:
    classification = getattr(message, "classification", None)
    label = classification.effective_label if classification else ""
    staff = tuple(classification.staff_named) if classification and classification.targets_staff else ()
    return detection.Observation(
        key=message.pk, external_id=message.external_id or str(message.pk), at=message.created_at,
        platform=message.thread.platform, post=message.thread.external_id,
        author=message.author.external_id if message.author else "", label=label,
        targets_staff=bool(classification and classification.targets_staff), staff=staff, text=message.text,
        sure=not (classification and classification.uncertain),
    )  # fmt: skip


def span(obs: detection.Observation, claim_around: bool, t: detection.Thresholds) -> timedelta:
    """How far back this message's detectors look: an hour for a surge, hours while a false claim is
    around (this message may repeat it), a day for attacks on staff (to say how many)."""
    spans = [timedelta(minutes=max(t.post_window_minutes, t.page_window_minutes))]
    if claim_around:
        spans.append(timedelta(hours=t.disinfo_window_hours))
    if obs.clear_attack:
        spans.append(timedelta(hours=t.join_hours))
    return max(spans)


def recent(message: Message, reach: timedelta) -> list[detection.Observation]:
    """The incoming messages before this one within `reach`, oldest first."""
    start = message.created_at - reach
    rows = (
        Message.objects.filter(kind__in=INCOMING, removed=False, created_at__gt=start)
        .filter(Q(created_at__lt=message.created_at) | Q(created_at=message.created_at, pk__lt=message.pk))
        .select_related("classification", "thread", "author")
        .order_by("created_at", "pk")
    )
    return [observation(row) for row in rows]


_rates: dict[tuple[str, datetime, tuple], detection.UsualRate] = {}


def usual_rate(platform: str, at: datetime, t: detection.Thresholds) -> detection.UsualRate:
    """The page's usual negative rate, learnt from its history (kept an hour of event time per process)."""
    hour = at.replace(minute=0, second=0, microsecond=0)
    key = (platform, hour, tuple(sorted(t.as_dict().items())))
    if key not in _rates:
        if len(_rates) > 1000:
            _rates.clear()
        _rates[key] = _learn(platform, hour, t)
    return _rates[key]


def _learn(platform: str, at: datetime, t: detection.Thresholds) -> detection.UsualRate:
    page = Message.objects.filter(kind__in=INCOMING, thread__platform=platform)
    first = page.order_by("created_at").values_list("created_at", flat=True).first()
    if first is None:
        return detection.UsualRate([], 0, t.usual_rate_floor, t.new_page_rate)
    since = at - timedelta(days=t.learning_days)
    negatives = page.filter(_labelled(sorted(detection.NEGATIVE)), created_at__gte=since, created_at__lt=at)
    return detection.learnt_rate(negatives.values_list("created_at", flat=True), first, at, t)


def _active() -> list[detection.OpenCrisis]:
    return [detection.OpenCrisis(pk, signal, last) for pk, signal, last in
            Crisis.objects.filter(status__in=Crisis.ACTIVE).values_list("pk", "signal", "last_message_at")]  # fmt: skip


def _decide(message: Message, obs: detection.Observation, claim_around: bool, t: detection.Thresholds) -> list[Crisis]:
    rate = usual_rate(obs.platform, obs.at, t)
    before, active = recent(message, span(obs, claim_around, t)), _active()
    decision = detection.decide(obs, before, rate, active, t)
    for pk in decision.joins:
        join(Crisis.objects.get(pk=pk), message)
    if not _follow_events and obs.at < timezone.now() - LIVE_HORIZON:
        return []
    if not any(c.kind == detection.DISINFORMATION and c.key in decision.joins for c in active):
        _ask_to_check(detection.unsure_rumour(obs, before, t))
    return [open_crisis(signal) for signal in decision.opens]


def recheck_claim(message: Message) -> Crisis | None:
    """A person checked a message's label: if it is misinformation, it is now a sure claim. The messages of its
    window are looked at again, in order, and the first that makes it a spreading falsehood opens the crisis
    (unless one is already active, or the claim is older than the live horizon)."""
    if not (message.incoming and not message.removed and observation(message).claim):
        return None
    t = CrisisSettings.load().values()
    window = timedelta(hours=t.disinfo_window_hours)
    if message.created_at < timezone.now() - LIVE_HORIZON or _disinformation_active(t):
        return None
    around = (
        Message.objects.filter(kind__in=INCOMING, removed=False, created_at__gt=message.created_at - window,
                               created_at__lt=message.created_at + window)
        .select_related("classification", "thread", "author").order_by("created_at", "pk")
    )  # fmt: skip
    stream = [observation(row) for row in around]  # one query: each candidate is judged with those before it
    for index, candidate in enumerate(stream):
        if candidate.at >= message.created_at and (signal := detection.spreading_claim(candidate, stream[:index], t)):
            return open_crisis(signal)
    return None


def recheck_attack(message: Message) -> list[Crisis]:
    """A person checked a message: if it is now an attack on staff (abuse or defamation naming them) and no crisis
    holds it yet, detection looks at it as at a message just triaged (it joins an open crisis, or opens one if it
    is recent enough)."""
    if not (message.incoming and not message.removed and observation(message).clear_attack):
        return []
    if CrisisMessage.objects.filter(message=message).exists():
        return []
    return observe([message])


def recheck_cleared(message: Message) -> list[Crisis]:
    """A person checked a message of an active « attaque contre un membre de l'équipe » and found no attack in it:
    the room says so, and once none of its messages is an attack any more, those alerted hear that it may be a
    false alarm (their unread alert stops being urgent). People close it: Vigie never closes a crisis itself."""
    if observation(message).clear_attack:
        CrisisMessage.objects.filter(message=message).update(cleared_at=None)  # an attack again
        return []
    links = list(
        CrisisMessage.objects.filter(
            message=message, cleared_at__isnull=True, crisis__status__in=Crisis.ACTIVE,
            crisis__signal=detection.STAFF_ATTACK,
        ).select_related("crisis")
    )  # fmt: skip
    if not links:
        return []
    checker = message.classification.corrected_by
    by, author = name_of(checker, "une personne"), message.author_name
    label = LABEL_NAMES[message.classification.effective_label].lower()
    for link in links:
        link.cleared_at = timezone.now()
        link.save(update_fields=["cleared_at"])
        said = f"Message de {author} du {timezone.localtime(link.at):%d/%m à %H:%M} vérifié par {by} : {label}"
        CrisisEvent.objects.create(
            crisis=link.crisis, actor=checker, text=f"{said}, sans attaque contre l'équipe."[:300]
        )
        if not any(observation(m).clear_attack for m in _messages_of(link.crisis)):
            _ask_whether_false_alarm(link.crisis, by)
    return [link.crisis for link in links]


def _messages_of(crisis: Crisis):
    return Message.objects.filter(pk__in=crisis.links.values("message")).select_related(
        "classification", "thread", "author"
    )


def _ask_whether_false_alarm(crisis: Crisis, by: str) -> None:
    from vigie.crisis.alerting import ALERTED, room_link

    notify(
        ALERTED, f"Crise n° {crisis.pk} : plus aucune attaque vérifiée",
        "Ses messages ont été vérifiés : aucun n'attaque l'équipe. Si c'est une fausse alerte, classez-la comme telle "
        "dans la salle de crise.",
        link=room_link(crisis), reason=f"{by}, après vérification", kind=Kind.CRISIS, about=crisis, settles=True,
    )  # fmt: skip


def _disinformation_active(t: detection.Thresholds) -> bool:
    live = timezone.now() - timedelta(hours=t.join_hours)
    return any(c.kind == detection.DISINFORMATION and c.last_at >= live for c in _active())


def _ask_to_check(signal: detection.Signal | None) -> None:
    """Misinformation the model is unsure of, spreading: the community managers check it (no alert, no crisis)."""
    if signal is None:
        return
    first = Message.objects.get(pk=signal.observations[0].key)
    figures = signal.figures
    notify(
        [COMMUNITY_MANAGER], ASK_TO_CHECK,
        f"{figures['count']} messages de {figures['authors']} auteurs, en moins de {figures['window_hours']} h, "
        "ressemblent à une fausse information qui se répand, mais le tri n'en est pas sûr. Vérifiez leur étiquette : "
        "si c'en est une, la crise s'ouvre et la direction est alertée.",
        link=reverse("inbox:list") + "?label=misinformation&uncertain=on", reason="détection de crise",
        kind=Kind.CRISIS, about=first, urgent=True, email_again=False,  # once per rumour; later copies update it
    )  # fmt: skip


def join(crisis: Crisis, message: Message, *, trigger: bool = False) -> None:
    _, created = CrisisMessage.objects.get_or_create(
        crisis=crisis, message=message, defaults={"trigger": trigger, "at": message.created_at}
    )
    if created and message.created_at > crisis.last_message_at:
        Crisis.objects.filter(pk=crisis.pk).update(last_message_at=message.created_at)


def open_crisis(signal: detection.Signal, *, demo: bool = False) -> Crisis:
    """A new crisis from a signal: its messages, an audit line, and the alert to the direction and the
    communication officer (in Vigie, by e-mail, on the webhook; sent after commit)."""
    from vigie.crisis import alerting

    crisis = Crisis.objects.create(
        signal=signal.kind, platform=signal.platform, post_key=signal.post, explanation=signal.explanation,
        figures=signal.figures, started_at=signal.since, detected_at=signal.at, last_message_at=signal.at, demo=demo,
    )  # fmt: skip
    messages = Message.objects.in_bulk([o.key for o in signal.observations])
    CrisisMessage.objects.bulk_create(
        [CrisisMessage(crisis=crisis, message=m, trigger=True, at=m.created_at) for m in messages.values()]
    )
    record(None, "crisis.opened", crisis, summary=f"Crise ouverte : {crisis.title}. {signal.explanation}",
           actor_label="détection de crise")  # fmt: skip
    alerting.raise_alert(crisis)
    log.info("crisis %s opened: %s", crisis.pk, signal.explanation)
    return crisis
