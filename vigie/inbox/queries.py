"""What the inbox and the API read: filtered, ordered, keyset-paginated."""

from dataclasses import dataclass, replace
from datetime import date, datetime, time

from django.db.models import F, Prefetch, Q, QuerySet
from django.utils import timezone

from vigie.inbox import search
from vigie.inbox.models import Item, Message, Note, Thread
from vigie.inbox.status import OPEN, Status
from vigie.lib import keyset
from vigie.moderation.models import PlatformAction
from vigie.sla import deadlines
from vigie.triage.models import UNCERTAIN_BELOW, sureness
from vigie.vocabulary import PRIORITY_NAMES, Verb

ITEM_ORDER = ("priority", "received_at", "id")
DUE_ORDER = ("reply_due_at", "id")  # « échéance la plus proche »: ascending, items with a deadline only
ORDER_DUE = "due"
# « étiquette la moins sûre » (active learning): ascending, items whose label no person checked yet
# (`triage.models.sureness`)
UNSURE_ORDER = ("sureness", "id")
ORDER_UNSURE = "unsure"
THREAD_ORDER = ("priority", "last_message_at", "id")
MESSAGE_ORDER = ("created_at", "id")
DATETIMES = frozenset({"last_message_at", "created_at", "received_at", "reply_due_at"})

STATUS_OPEN = "open"
STATUS_ALL = "all"
ASSIGNEE_ME = "me"
ASSIGNEE_NOBODY = "none"


@dataclass(frozen=True)
class Filters:
    platform: str = ""
    kind: str = ""
    status: str = STATUS_OPEN
    assignee: str = ""  # "", "me", "none" or a user id
    date_from: date | None = None
    date_to: date | None = None
    q: str = ""
    label: str = ""
    targets_staff: bool = False
    priority: str = ""  # a name of PRIORITY_NAMES
    sla: str = ""  # one of sla.deadlines.STATES
    order: str = ""  # "" (most urgent first), "due" (nearest deadline first) or "unsure" (least sure label first)
    uncertain: bool = False  # the model was not sure of the label and nobody corrected it


# A date filter's days are taken within these: at year 1 or 9999 a day's bounds are not date-times any more
# (and no message is dated outside them).
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(9000, 12, 31)


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(min(max(day, FIRST_DAY), LAST_DAY), time.min))


def _status_q(status: str, field: str) -> Q:
    if status == STATUS_ALL or not status:
        return Q()
    if status == STATUS_OPEN:
        return Q(**{f"{field}__in": OPEN})
    return Q(**{field: status})


def _assignee_q(assignee: str, user, field: str) -> Q:
    if not assignee:
        return Q()
    if assignee == ASSIGNEE_ME:
        return Q(**{field: user.pk})
    if assignee == ASSIGNEE_NOBODY:
        return Q(**{f"{field}__isnull": True})
    return Q(**{field: int(assignee)})


def _date_q(filters: Filters, field: str) -> Q:
    condition = Q()
    if filters.date_from:
        condition &= Q(**{f"{field}__gte": _day_start(filters.date_from)})
    if filters.date_to:
        condition &= Q(**{f"{field}__lt": _day_start(filters.date_to) + timezone.timedelta(days=1)})
    return condition


def _filtered(queryset: QuerySet, filters: Filters, user, *, item: str, moment: str, platform: str) -> QuerySet:
    """The filters every list shares; `item` is the path to the item ("" for items themselves)."""
    return queryset.filter(
        _status_q(filters.status, f"{item}status"),
        _assignee_q(filters.assignee, user, f"{item}assignee"),
        _date_q(filters, moment),
        *([Q(**{platform: filters.platform})] if filters.platform else []),
        *([Q(kind=filters.kind)] if filters.kind else []),
        *([Q(**{f"{item}priority": PRIORITY_NAMES[filters.priority]})] if filters.priority else []),
        *([Q(**{f"{item}label": filters.label})] if filters.label else []),
        *([Q(**{f"{item}targets_staff": True})] if filters.targets_staff else []),
        *([to_check_q("classification__" if item else "message__classification__")] if filters.uncertain else []),
    )


def to_check_q(path: str) -> Q:
    """What `Classification.to_check` says, as a query (`path`: from the rows to their classification)."""
    unsure = Q(**{f"{path}confidence__lt": UNCERTAIN_BELOW}) | Q(**{f"{path}mention_to_check": True})
    return Q(**{f"{path}corrected_at__isnull": True}) & unsure


# A search matching at most this many messages is turned into item ids first: the planner misjudges a
# rare word and walks the whole inbox order looking for it (400 ms instead of a few at 1 M messages).
SEARCH_IDS_AT_MOST = 2000


def _unanswered_sla_q(state: str, now, field: str) -> Q:
    soon = now + deadlines.DUE_SOON
    return {
        deadlines.OVERDUE: Q(**{f"{field}__lt": now}),
        deadlines.DUE_SOON_STATE: Q(**{f"{field}__gte": now, f"{field}__lte": soon}),
        deadlines.ON_TIME: Q(**{f"{field}__gt": soon}),
    }[state]


def _message_sla_q(state: str, now) -> Q:
    """Messages whose deadline stands in `state` (sla.deadlines.state, said as a query)."""
    if state == deadlines.MET:
        return Q(replied_at__isnull=False, replied_at__lte=F("reply_due_at"))
    if state == deadlines.MISSED:
        return Q(replied_at__isnull=False, replied_at__gt=F("reply_due_at"))
    return Q(replied_at__isnull=True) & _unanswered_sla_q(state, now, "reply_due_at")


def _item_sla_q(state: str, now) -> Q:
    """Items whose earliest unanswered deadline stands in `state`; met and missed: items with such a message."""
    if state in (deadlines.MET, deadlines.MISSED):
        return Q(pk__in=Message.objects.filter(_message_sla_q(state, now)).values("item_id"))
    return _unanswered_sla_q(state, now, "reply_due_at")


def items(filters: Filters, user) -> QuerySet:
    queryset = _filtered(Item.objects.all(), filters, user, item="", moment="received_at", platform="platform")
    if filters.sla:
        queryset = queryset.filter(_item_sla_q(filters.sla, timezone.now()))
    if filters.order == ORDER_DUE:
        queryset = queryset.filter(reply_due_at__isnull=False)
    if filters.order == ORDER_UNSURE:
        unchecked = Q(message__classification__isnull=False, message__classification__corrected_at__isnull=True)
        queryset = _with_sureness(queryset.filter(unchecked))
    return queryset.filter(_search_q(filters.q)) if filters.q else queryset


def _with_sureness(queryset: QuerySet) -> QuerySet:
    return queryset.annotate(sureness=sureness("message__classification__"))


def _order(filters: Filters) -> tuple[tuple[str, ...], frozenset[str]]:
    """The list's order: its fields, and those that go up (the others go down)."""
    if filters.order == ORDER_DUE:
        return DUE_ORDER, frozenset(DUE_ORDER)
    if filters.order == ORDER_UNSURE:
        return UNSURE_ORDER, frozenset(UNSURE_ORDER)
    return ITEM_ORDER, frozenset()


def _search_q(words: str) -> Q:
    matching = search.matching_messages(Message.objects.all(), words).values_list("item_id", flat=True)
    few = list(matching[: SEARCH_IDS_AT_MOST + 1])
    if len(few) <= SEARCH_IDS_AT_MOST:
        return Q(pk__in={pk for pk in few if pk is not None})
    return Q(pk__in=matching)


COUNTED_AT_MOST = 1000  # beyond, the list says « plus de 1 000 » (a count over a whole history is slow)


def item_count(filters: Filters, user) -> int:
    """How many items the list holds, COUNTED_AT_MOST + 1 meaning more."""
    return items(filters, user).values("pk")[: COUNTED_AT_MOST + 1].count()


def next_item(filters: Filters, user, current: Item) -> Item | None:
    """The item the list these filters show puts after `current` (what to open once it is treated), or, at the
    list's end, its first: a round goes through the whole list, and what was skipped comes back."""
    fields, ascending = _order(filters)
    itself = Item.objects.filter(pk=current.pk)  # where it stood in the list, whatever its status now
    key = (_with_sureness(itself) if filters.order == ORDER_UNSURE else itself).values_list(*fields).first()
    others = items(filters, user).exclude(pk=current.pk).order_by(*keyset.ordering(fields, ascending))
    following = others.filter(keyset.after(fields, list(key), ascending)).first() if key and None not in key else None
    return following or others.first()


def newest_item_id() -> int:
    return Item.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def item_page(filters: Filters, user, cursor: str | None, size: int = 30) -> keyset.Page:
    queryset = items(filters, user).select_related(
        "message__author", "message__classification", "message__parent__author", "assignee", "thread__post"
    )
    fields, ascending = _order(filters)
    return keyset.paginate(queryset, fields, cursor, size, DATETIMES, ascending=ascending)


def threads(filters: Filters, user) -> QuerySet:
    """Threads (« Par publication ») with at least one item that matches the filters."""
    queryset = Thread.objects.filter(
        _date_q(filters, "last_message_at"),
        *([Q(platform=filters.platform)] if filters.platform else []),
        *([Q(kind=filters.kind)] if filters.kind else []),
    )
    on_items = replace(filters, platform="", kind="", date_from=None, date_to=None, order="")
    if on_items == Filters(status=STATUS_OPEN):
        return queryset.filter(open_items__gt=0)  # the default view, without looking at items
    if on_items == Filters(status=STATUS_ALL):
        return queryset
    return queryset.filter(pk__in=items(replace(filters, date_from=None, date_to=None), user).values("thread_id"))


def thread_page(filters: Filters, user, cursor: str | None, size: int = 30) -> keyset.Page:
    queryset = threads(filters, user).select_related(
        "last_message__author", "last_message__classification", "assignee", "channel", "post"
    )
    return keyset.paginate(queryset, THREAD_ORDER, cursor, size, DATETIMES)


def messages(filters: Filters, user) -> QuerySet:
    """Messages, filtered on their own kind, time and platform and on their item's work state."""
    queryset = _filtered(Message.objects.all(), filters, user, item="item__", moment="created_at",
                         platform="channel__platform")  # fmt: skip
    if filters.sla:
        queryset = queryset.filter(_message_sla_q(filters.sla, timezone.now()))
    return search.matching_messages(queryset, filters.q) if filters.q else queryset


def message_page(filters: Filters, user, cursor: str | None, size: int = 50) -> keyset.Page:
    queryset = messages(filters, user).select_related("author", "channel", "thread", "item__assignee", "classification")
    return keyset.paginate(queryset, MESSAGE_ORDER, cursor, size, DATETIMES)


# what was asked of the platform about each message, shown under it (who, when, how it went)
MODERATION_SHOWN = Prefetch(
    "platform_actions",
    queryset=PlatformAction.objects.select_related("requested_by", "cancelled_by", "channel").order_by("id"),
    to_attr="moderation_actions",
)


def thread_messages(thread: Thread) -> QuerySet:
    return (
        thread.messages.select_related("author", "sent_by", "parent__author", "classification", "complaint")
        .prefetch_related("evidence", "recommendations", MODERATION_SHOWN)
        .order_by("created_at", "id")
    )


def item_messages(item: Item) -> QuerySet:
    """What an item's page shows: a conversation's messages; for a comment, the comment it answers,
    itself, and the replies under it (ours and others')."""
    around = Q(item=item)
    if not item.is_conversation:
        around |= Q(pk=item.message_id) | Q(parent_id=item.message_id)
        if item.message.parent_id:
            around |= Q(pk=item.message.parent_id)
    return (
        Message.objects.filter(around)
        .select_related("author", "sent_by", "parent__author", "classification", "item", "complaint")
        .prefetch_related("evidence", "recommendations", MODERATION_SHOWN)
        .order_by("created_at", "id")
    )


def item_notes(item: Item) -> QuerySet:
    """The item's notes, and those written on its thread before items existed."""
    return Note.objects.filter(Q(item=item) | Q(thread_id=item.thread_id, item__isnull=True)).select_related("author")


def author_history(author, exclude_item: Item | None = None, limit: int = 20) -> list[Message]:
    """The author's messages on every channel (identities an admin linked to the same person)."""
    same_person = Q(author=author)
    if author.person_id:
        same_person |= Q(author__person_id=author.person_id)
    queryset = Message.objects.filter(same_person).select_related("channel", "thread", "classification")
    if exclude_item is not None:
        queryset = queryset.exclude(item=exclude_item)
    return list(queryset.order_by("-created_at", "-id")[:limit])


TAKE_DOWN = (Verb.DELETE, Verb.HIDE)  # the procedure's order: delete first
REPLY_IN_FLIGHT = (Message.Delivery.AWAITING_APPROVAL, Message.Delivery.PENDING)


def take_down_pending(message: Message) -> Verb | str:
    """The verb the procedure proposes to take the message down (delete, else hide) while it is still online and
    nobody asked the platform to: marking its item done would leave it there. "" otherwise."""
    if not message.incoming or message.removed or message.deleted_on_platform or message.hidden_on_platform:
        return ""
    proposed = set(
        message.recommendations.filter(status="proposed", action__in=TAKE_DOWN).values_list("action", flat=True)
    )
    asked = PlatformAction.Status.PENDING, PlatformAction.Status.RUNNING, PlatformAction.Status.DONE
    if not proposed or message.platform_actions.filter(verb__in=TAKE_DOWN, status__in=asked).exists():
        return ""
    return next(verb for verb in TAKE_DOWN if verb in proposed)


def reply_pending(item: Item) -> bool:
    """A private message of the item is due an answer (sla/deadlines.py) and no reply of ours is on its way (to
    approve or to send): marking the item done would leave the person without one."""
    return (
        item.reply_due_at is not None
        and not item.messages.filter(kind=Message.Kind.REPLY, delivery__in=REPLY_IN_FLIGHT).exists()
    )


@dataclass(frozen=True)
class Undone:
    """What marking an item done would leave undone of what the procedure asks, in the words the desk shows: the
    warning, the gesture to do first, the choice to leave it, and what the audit keeps when a person does."""

    warning: str
    first: str  # the button that does it (its page opens the take-down's confirmation, or the reply)
    leave: str  # the button that marks the item done all the same
    kept: str  # the audit's summary then
    take_down: Verb | None = None

    @property
    def refusal(self) -> str:
        return f"{self.warning} Faites-le d'abord, ou choisissez « {self.leave} »."


def left_undone(item: Item, target: str = Status.DONE) -> Undone | None:
    """What marking the item `target` would leave undone (only « Traité », only for an item not done yet): its
    message still online where the procedure says to take it down (`take_down_pending`), or a private message
    still without the answer it is due (`reply_pending`). None when nothing is."""
    if target != Status.DONE or item.status == Status.DONE:
        return None
    verb = take_down_pending(item.message)
    if verb:
        return Undone(
            warning=f"Toujours en ligne : la procédure propose « {verb.label} ».", first=f"{verb.label}…",
            leave="Traité, laissé en ligne", kept=f"laissé en ligne (la procédure proposait « {verb.label} »)",
            take_down=verb,
        )  # fmt: skip
    if reply_pending(item):
        due = f"{timezone.localtime(item.reply_due_at):%d/%m à %H:%M}"
        return Undone(
            warning=f"Sans réponse : la procédure demande une réponse à ce message privé (attendue le {due}).",
            first="Répondre…", leave="Traité sans réponse", kept=f"sans réponse (elle était attendue le {due})",
        )  # fmt: skip
    return None
