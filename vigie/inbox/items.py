"""Items, the unit of work at the desk: one incoming comment, or one private conversation.

Part of the actions layer: one-by-one and bulk ingestion share `attach`, the pipeline calls
`apply_triage`, and whatever changes items calls `sync_threads` so that each thread sums its items up
(status, priority, assignee, what is left to do). Call inside a transaction.
"""

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Count, Max, Min, Q

from vigie.audit.record import record
from vigie.inbox import telling
from vigie.inbox.models import Item, Message, Thread
from vigie.inbox.status import OPEN, REOPENED_BY_NEW_MESSAGE, Status
from vigie.lib import rows
from vigie.sla import deadlines
from vigie.sla.models import ClockSettings
from vigie.vocabulary import Priority

CONVERSATION = Thread.Kind.CONVERSATION
# a thread shows the status of its items that needs a person most
THREAD_STATUS_ORDER = (Status.ESCALATED, Status.NEW, Status.IN_PROGRESS, Status.WAITING, Status.DONE, Status.CLOSED)


def starting_priority(kind: str) -> int:
    """A private message waits for an answer: it starts higher than a comment."""
    return Priority.HIGH if kind == CONVERSATION else Priority.NORMAL


def _new_item(message: Message) -> Item:
    return Item(
        thread_id=message.thread_id, channel_id=message.channel_id, platform=message.thread.platform,
        kind=message.kind, message=message, priority=starting_priority(message.kind), received_at=message.created_at,
    )  # fmt: skip


def attach(messages: list[Message]) -> None:
    """Give newly stored incoming messages their item: a comment its own; a private message its
    conversation's, which now shows it (and comes back to the desk if it was finished)."""
    incoming = [m for m in messages if m.incoming and not m.removed]
    comments = [m for m in incoming if m.kind != CONVERSATION]
    conversations: dict[int, list[Message]] = defaultdict(list)
    for message in incoming:
        if message.kind == CONVERSATION:
            conversations[message.thread_id].append(message)
    own = [_new_item(m) for m in comments]
    by_thread = _conversation_items(conversations)
    Item.objects.bulk_create(own + [item for item in by_thread.values() if item.pk is None])
    for message, item in zip(comments, own, strict=True):
        message.item = item
    for thread_id, thread_messages in conversations.items():
        for message in thread_messages:
            message.item = by_thread[thread_id]
    rows.update(incoming, ["item"])


def _conversation_items(conversations: dict[int, list[Message]]) -> dict[int, Item]:
    """Each conversation's item by thread: a known one follows its latest message (saved here); a
    new one is made from it (to be created by the caller)."""
    by_thread = {item.thread_id: item for item in Item.objects.select_for_update().filter(thread_id__in=conversations)}
    changed = []
    for thread_id, thread_messages in conversations.items():
        latest = max(thread_messages, key=lambda m: (m.created_at, m.pk))
        item = by_thread.get(thread_id)
        if item is None:
            by_thread[thread_id] = _new_item(latest)
        elif latest.created_at >= item.received_at:
            _follow(item, latest)
            changed.append(item)
    rows.update(changed, ["message", "received_at", "label", "targets_staff", "status", "priority"])
    return by_thread


def _follow(item: Item, latest: Message) -> None:
    item.message, item.received_at = latest, latest.created_at
    item.label, item.targets_staff = "", False  # triage tells them for the new message
    if item.status in REOPENED_BY_NEW_MESSAGE:
        record(None, "item.reopened", item, summary="Nouveau message reçu",
               before={"status": item.status}, after={"status": Status.NEW})  # fmt: skip
        item.status = Status.NEW
        item.priority = starting_priority(item.kind)


def apply_triage(pairs: Iterable[tuple[Message, object]], priority_of) -> None:
    """Items take their message's label and staff flag; the priority the classification implies
    raises theirs (never lowers it). `priority_of(classification) -> int`."""
    wanted = {message.pk: c for message, c in pairs if c is not None}
    items = list(Item.objects.filter(message_id__in=wanted))
    raised = set()
    for item in items:
        classification = wanted[item.message_id]
        item.label = classification.effective_label
        item.targets_staff = classification.targets_staff
        if priority_of(classification) > item.priority:
            item.priority = priority_of(classification)
            raised.add(item.thread_id)
    rows.update(items, ["label", "targets_staff", "priority"])
    set_deadlines({pk: classification.effective_label for pk, classification in wanted.items()})
    sync_threads(raised)  # only a priority changes what a thread sums up


def set_deadlines(labels: dict[int, str]) -> None:
    """Private messages (by id, with their label) that need an answer are due one (sla/deadlines.py),
    those that need none are not; their items show the earliest deadline still unanswered."""
    messages = list(Message.objects.filter(pk__in=labels, kind=CONVERSATION, replied_at__isnull=True))
    if not messages:
        return
    policy = ClockSettings.current().policy()
    for message in messages:
        needed = deadlines.needs_answer(message.kind, labels[message.pk])
        message.reply_due_at = deadlines.due_at(message.created_at, policy) if needed else None
    rows.update(messages, ["reply_due_at"])
    refresh_deadlines({message.item_id for message in messages if message.item_id})


def refresh_deadlines(item_ids: Iterable[int]) -> dict[int, object]:
    """Each item shows the earliest deadline of its messages still unanswered (or none); those deadlines, by item
    (an item without one is absent)."""
    item_ids = set(item_ids)
    earliest = dict(
        Message.objects.filter(item_id__in=item_ids, reply_due_at__isnull=False, replied_at__isnull=True)
        .values("item_id")
        .annotate(due=Min("reply_due_at"))
        .values_list("item_id", "due")
    )
    changed = [item for item in Item.objects.filter(pk__in=item_ids) if item.reply_due_at != earliest.get(item.pk)]
    for item in changed:
        item.reply_due_at = earliest.get(item.pk)
    rows.update(changed, ["reply_due_at"])
    return earliest


def answered(item_id: int | None, at) -> int:
    """A reply from the page reached the person at `at`: the messages before it that were due an
    answer have one (met or missed, sla/deadlines.py). How many."""
    if item_id is None:
        return 0
    count = Message.objects.filter(
        item_id=item_id, reply_due_at__isnull=False, replied_at__isnull=True, created_at__lte=at
    ).update(replied_at=at)
    if count and item_id not in refresh_deadlines([item_id]):
        telling.deadline_met(Item(pk=item_id))  # the item's key is all that settling reads
    return count


def sync_threads(thread_ids: Iterable[int]) -> None:
    """Each thread sums its items up: the status that needs a person most, the highest priority and
    the shared assignee of what is left to do, and how many items are left."""
    thread_ids = set(thread_ids)
    if not thread_ids:
        return
    is_open = Q(status__in=OPEN)
    summaries = {
        row["thread_id"]: row
        for row in Item.objects.filter(thread_id__in=thread_ids)
        .values("thread_id")
        .annotate(
            open_items=Count("id", filter=is_open),
            priority=Max("priority", filter=is_open),
            assignee_min=Min("assignee_id", filter=is_open),
            assignee_max=Max("assignee_id", filter=is_open),
            unassigned=Count("id", filter=is_open & Q(assignee__isnull=True)),
            **{f"n_{status}": Count("id", filter=Q(status=status)) for status in THREAD_STATUS_ORDER},
        )
    }
    threads = list(Thread.objects.filter(pk__in=summaries))
    for thread in threads:
        _summarise(thread, summaries[thread.pk])
    rows.update(threads, ["status", "priority", "assignee", "open_items"])


def _summarise(thread: Thread, row: dict) -> None:
    thread.open_items = row["open_items"]
    thread.priority = row["priority"] or Priority.NORMAL
    thread.status = next((s for s in THREAD_STATUS_ORDER if row[f"n_{s}"]), thread.status)
    shared = row["open_items"] and not row["unassigned"] and row["assignee_min"] == row["assignee_max"]
    thread.assignee_id = row["assignee_min"] if shared else None
