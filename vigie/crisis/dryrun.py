"""« Combien d'alertes ces réglages auraient-ils levées ? »: the last weeks replayed in memory with the
thresholds being edited, set against what people said of the real alerts (false alarms dismissed)."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from vigie.crisis import detection, service
from vigie.crisis.models import Crisis, CrisisMessage
from vigie.inbox.models import Message

WEEKS = 4


@dataclass
class DryAlert:
    signal: detection.Signal
    known: Crisis | None  # the real crisis that holds its messages, if any

    @property
    def false_alarm(self) -> bool:
        return self.known is not None and self.known.status == Crisis.Status.DISMISSED


@dataclass
class DryRun:
    since: datetime
    messages: int
    alerts: list[DryAlert]

    @property
    def false_alarms(self) -> int:
        return sum(1 for a in self.alerts if a.false_alarm)

    def by_signal(self) -> dict[str, int]:
        return {kind: sum(1 for a in self.alerts if a.signal.kind == kind) for kind in detection.SIGNALS}


def dry_run(thresholds: detection.Thresholds, *, weeks: int = WEEKS, now: datetime | None = None) -> DryRun:
    now = now or timezone.now()
    since = now - timedelta(weeks=weeks)
    rows = (
        Message.objects.filter(kind__in=service.INCOMING, removed=False, created_at__gte=since, created_at__lte=now)
        .select_related("classification", "thread", "author")
        .order_by("created_at", "pk")
    )
    simulation = detection.Simulation(thresholds)
    count = 0
    for message in rows.iterator(chunk_size=2000):
        simulation.feed(service.observation(message))
        count += 1
    return DryRun(since, count, [DryAlert(s, _known(s)) for s in simulation.alerts])


def _known(signal: detection.Signal) -> Crisis | None:
    link = CrisisMessage.objects.filter(message_id__in=[o.key for o in signal.observations]).select_related("crisis")
    first = link.order_by("crisis__detected_at").first()
    return first.crisis if first else None
