"""What the inbox and the API read: filtered, ordered, keyset-paginated."""

from dataclasses import dataclass
from datetime import date, datetime, time

from django.db.models import Q, QuerySet
from django.utils import timezone

from vigie.inbox import search
from vigie.inbox.models import Message, Thread
from vigie.inbox.status import OPEN
from vigie.lib import keyset

THREAD_ORDER = ("priority", "last_message_at", "id")
MESSAGE_ORDER = ("created_at", "id")
DATETIMES = frozenset({"last_message_at", "created_at"})

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


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


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


def _filtered(queryset: QuerySet, filters: Filters, user, *, thread: str, moment: str, platform: str) -> QuerySet:
    """The filters every list shares; `thread` is the path to the thread ("" for threads themselves)."""
    return queryset.filter(
        _status_q(filters.status, f"{thread}status"),
        _assignee_q(filters.assignee, user, f"{thread}assignee"),
        _date_q(filters, moment),
        *([Q(**{platform: filters.platform})] if filters.platform else []),
        *([Q(kind=filters.kind)] if filters.kind else []),
    )


def _triage_q(filters: Filters, prefix: str = "") -> Q:
    """Messages with this (effective) label, or that attack a member of staff."""
    condition = Q()
    if filters.label:
        corrected, label = f"{prefix}classification__corrected_label", f"{prefix}classification__label"
        condition &= Q(**{corrected: filters.label}) | Q(**{corrected: "", label: filters.label})
    if filters.targets_staff:
        condition &= Q(**{f"{prefix}classification__targets_staff": True})
    return condition


def threads(filters: Filters, user) -> QuerySet:
    queryset = _filtered(Thread.objects.all(), filters, user, thread="", moment="last_message_at", platform="platform")
    if filters.q or filters.label or filters.targets_staff:
        matching = Message.objects.filter(_triage_q(filters))
        if filters.q:
            matching = search.matching_messages(matching, filters.q)
        queryset = queryset.filter(id__in=matching.values("thread_id"))
    return queryset


def thread_page(filters: Filters, user, cursor: str | None, size: int = 30) -> keyset.Page:
    queryset = threads(filters, user).select_related(
        "last_message__author", "last_message__classification", "assignee", "channel", "post"
    )
    return keyset.paginate(queryset, THREAD_ORDER, cursor, size, DATETIMES)


def messages(filters: Filters, user) -> QuerySet:
    queryset = _filtered(
        Message.objects.all(), filters, user, thread="thread__", moment="created_at", platform="channel__platform"
    ).filter(_triage_q(filters))
    return search.matching_messages(queryset, filters.q) if filters.q else queryset


def message_page(filters: Filters, user, cursor: str | None, size: int = 50) -> keyset.Page:
    queryset = messages(filters, user).select_related("author", "channel", "thread__assignee", "classification")
    return keyset.paginate(queryset, MESSAGE_ORDER, cursor, size, DATETIMES)


def thread_messages(thread: Thread) -> QuerySet:
    return (
        thread.messages.select_related("author", "sent_by", "parent__author", "classification")
        .prefetch_related("evidence", "recommendations")
        .order_by("created_at", "id")
    )


def author_history(author, exclude_thread: Thread | None = None, limit: int = 20) -> list[Message]:
    """The author's messages on every channel (identities an admin linked to the same person)."""
    same_person = Q(author=author)
    if author.person_id:
        same_person |= Q(author__person_id=author.person_id)
    queryset = Message.objects.filter(same_person).select_related("channel", "thread")
    if exclude_thread is not None:
        queryset = queryset.exclude(thread=exclude_thread)
    return list(queryset.order_by("-created_at", "-id")[:limit])
