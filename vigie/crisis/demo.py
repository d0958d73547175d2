"""A crisis on demand for `vigie demo` (the admins' button, `vigie crisis_demo`): attacks on a member of
staff go in through the real pipeline, so that detection, the banner, the alerts and the room all work
as they would for real."""

import json
import uuid
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from vigie.crisis.models import Crisis, CrisisMessage
from vigie.ingestion import raw_events
from vigie.ingestion.models import RawEvent

ATTACKS = [
    ("Nadia Benali est une incompétente notoire, une honte pour ce centre. Virez-la !", "Paul V."),
    ("Cette Mme Benali nous a traités comme des moins que rien, c'est une menteuse et une escroc.", "Rémi T."),
    ("Benali dégage ! Incompétente et arrogante, on va le faire savoir partout.", "Lina K."),
]


def records(now=None) -> list[dict]:
    now = now or timezone.now()
    batch = uuid.uuid4().hex[:8]
    return [
        {"platform": "facebook", "kind": "comment", "id": f"demo-crise-{batch}-{i}", "thread_id": f"demo-crise-{batch}",
         "parent_id": None, "author": {"id": f"demo-{batch}-{i}", "name": name}, "text": text,
         "created_at": (now - timedelta(minutes=3 - i)).isoformat()}
        for i, (text, name) in enumerate(ATTACKS)
    ]  # fmt: skip


def start_demo_crisis() -> Crisis | None:
    """Three attacks on the director, through the pipeline (`raw_events.process_now`: crisis is below the
    pipeline app, which drives it); the crisis they opened or joined."""
    bodies = [json.dumps(r, ensure_ascii=False) for r in records()]
    with transaction.atomic():
        ids = raw_events.store(bodies, source=RawEvent.Source.DEMO)
    raw_events.process_now(ids)
    link = CrisisMessage.objects.filter(message__raw_event_id__in=ids).select_related("crisis").first()
    if link is None:
        return None
    opened_by_them = link.crisis.links.filter(trigger=True, message__raw_event_id__in=ids).exists()
    if opened_by_them:
        Crisis.objects.filter(pk=link.crisis_id).update(demo=True)
    return Crisis.objects.get(pk=link.crisis_id)
