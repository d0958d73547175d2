"""The monthly quality check: a random sample of the month's classified items, stratified by label,
reviewed blind (the reviewer gives the label before seeing the desk's), scored per label."""

import random
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from vigie.audit.record import record
from vigie.inbox.errors import ActionError
from vigie.inbox.models import LABEL_NAMES, Item, Message
from vigie.records.models import QualityCheck, QualitySample
from vigie.vocabulary import LABELS

PARIS = ZoneInfo("Europe/Paris")
DEFAULT_SIZE = 30
VERB_NAMES = {"hide": "masqué", "unhide": "ré-affiché", "delete": "supprimé", "block": "auteur bloqué"}


def allocate(counts: dict[str, int], size: int) -> dict[str, int]:
    """How many to draw per label: proportional to its count (largest remainders), at least one per label
    present when the sample is big enough, never more than there are. Pure."""
    total = sum(counts.values())
    present = {label: n for label, n in counts.items() if n > 0}
    if total <= size:
        return dict(present)
    floor = 1 if size >= len(present) else 0
    shares = {label: max(floor, size * n // total) for label, n in present.items()}
    # the labels furthest below their exact share first (a label raised to its floor is not), then the larger
    remainders = sorted(
        present, key=lambda label: (shares[label] * total - size * present[label], -present[label], label)
    )
    while sum(shares.values()) < size:
        for label in remainders:
            if sum(shares.values()) < size and shares[label] < present[label]:
                shares[label] += 1
    while sum(shares.values()) > size:  # the floors pushed it over: take back from the largest
        label = max(shares, key=lambda name: (shares[name], name))
        shares[label] -= 1
    return {label: share for label, share in shares.items() if share}


def draw(ids_by_label: dict[str, list[int]], size: int, rng: random.Random) -> list[tuple[str, int]]:
    """(label, id) pairs, shuffled so that the reviewer cannot guess a label from the order. Pure."""
    shares = allocate({label: len(ids) for label, ids in ids_by_label.items()}, size)
    picked = [(label, pk) for label, share in shares.items() for pk in rng.sample(sorted(ids_by_label[label]), share)]
    rng.shuffle(picked)
    return picked


def month_bounds(month: date) -> tuple[datetime, datetime]:
    """The month in Paris time, as aware datetimes [start, end)."""
    start = month.replace(day=1)
    end = (start + timedelta(days=32)).replace(day=1)
    return datetime.combine(start, time(), PARIS), datetime.combine(end, time(), PARIS)


def candidates(month: date) -> dict[str, list[int]]:
    start, end = month_bounds(month)
    rows = Item.objects.filter(received_at__gte=start, received_at__lt=end).exclude(label="")
    found = defaultdict(list)
    for pk, label in rows.values_list("pk", "label"):
        found[label].append(pk)
    return dict(found)


def what_was_done(item: Item) -> tuple[str, int | None]:
    """The actions taken on an item (moderation, replies) and the minutes to our first reply."""
    message = item.message
    verbs = [
        VERB_NAMES[v]
        for v in message.platform_actions.exclude(verb__in=["reply", "private_reply"]).values_list("verb", flat=True)
        if v in VERB_NAMES
    ]
    replies = (
        Message.objects.filter(item=item, kind=Message.Kind.REPLY)
        .exclude(delivery=Message.Delivery.REJECTED)
        .order_by("created_at")
    )
    first = replies.first()
    done = verbs + (["répondu"] if first else []) + ([f"statut : {item.get_status_display()}"])
    minutes = int((first.created_at - message.created_at).total_seconds() // 60) if first else None
    return ", ".join(done), (max(minutes, 0) if minutes is not None else None)


@transaction.atomic
def draw_check(month: date, *, by, size: int = DEFAULT_SIZE, seed: int | None = None) -> QualityCheck:
    if not 1 <= size <= 500:
        raise ActionError("La taille de l'échantillon va de 1 à 500.")
    found = candidates(month)
    if not found:
        raise ActionError(f"Aucun message classé en {month:%m/%Y} : rien à contrôler.")
    check = QualityCheck.objects.create(month=month.replace(day=1), size=size, drawn_by=by)
    picked = draw(found, size, random.Random(seed))  # noqa: S311 (a sample, not a secret)
    items = Item.objects.select_related("message").in_bulk([pk for _, pk in picked])
    for position, (label, pk) in enumerate(picked, start=1):
        actions_taken, minutes = what_was_done(items[pk])
        QualitySample.objects.create(
            quality_check=check,
            item=items[pk],
            position=position,
            label=label,
            actions_taken=actions_taken,
            response_minutes=minutes,
        )
    record(
        by,
        "quality.drawn",
        check,
        summary=f"Échantillon de {len(picked)} messages tiré pour le contrôle qualité de {month:%m/%Y}",
        after={"size": len(picked)},
    )
    return check


@transaction.atomic
def review(
    sample: QualitySample, *, by, label: str, action_ok: bool, time_ok: bool, comment: str = ""
) -> QualitySample:
    """The reviewer's verdict on one sampled item (label chosen blind)."""
    if label not in LABEL_NAMES:
        raise ActionError(f"Étiquette inconnue : {label}")
    sample = QualitySample.objects.select_for_update().select_related("quality_check").get(pk=sample.pk)
    check = sample.quality_check
    if check.completed_at is not None:
        raise ActionError("Ce contrôle est terminé : il ne se modifie plus.")
    if check.reviewer_id and check.reviewer_id != by.pk:
        raise ActionError(f"Ce contrôle est relu par {check.reviewer.get_username()}.")
    if check.reviewer_id is None:
        check.reviewer = by
        check.save(update_fields=["reviewer"])
    sample.reviewed_label, sample.action_ok, sample.time_ok = label, action_ok, time_ok
    sample.comment, sample.reviewed_at = comment[:500], timezone.now()
    sample.save(update_fields=["reviewed_label", "action_ok", "time_ok", "comment", "reviewed_at"])
    if not check.samples.filter(reviewed_at__isnull=True).exists():
        check.completed_at = timezone.now()
        check.save(update_fields=["completed_at"])
        record(
            by,
            "quality.completed",
            check,
            summary=f"{by.get_username()} a terminé le contrôle qualité de {check.month:%m/%Y}",
            after=scores(check),
        )
    return sample


def scores(check: QualityCheck) -> dict:
    """Per label (the desk's): reviewed count, conform count (label, action and time right), score in %."""
    table: dict[str, dict] = {}
    for sample in check.samples.exclude(reviewed_at__isnull=True):
        row = table.setdefault(sample.label, {"name": LABEL_NAMES[sample.label], "reviewed": 0, "conform": 0})
        row["reviewed"] += 1
        row["conform"] += not sample.deviations
    for row in table.values():
        row["score"] = round(100 * row["conform"] / row["reviewed"])
    return dict(sorted(table.items(), key=lambda pair: [value for value, _ in LABELS].index(pair[0])))


def deviations(check: QualityCheck) -> list[QualitySample]:
    return [sample for sample in check.samples.select_related("item") if sample.reviewed and sample.deviations]
