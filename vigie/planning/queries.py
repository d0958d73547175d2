"""What the planning page and the API read."""

from datetime import datetime, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from vigie.lib import keyset
from vigie.planning.models import PlannedPost

SHOWN = 100
ORDER = ("sort_at", "id")


def visible() -> QuerySet:
    """Planned posts still on the board."""
    return PlannedPost.objects.filter(removed_at=None).select_related("post", "suggested_post", "board")


def week(start: datetime) -> list[tuple[datetime, list[PlannedPost]]]:
    """The seven days from `start` (Paris midnight), each with its planned posts in time order."""
    posts = list(visible().filter(publish_at__gte=start, publish_at__lt=start + timedelta(days=7))
                 .order_by("publish_at", "id"))  # fmt: skip
    days = []
    for offset in range(7):
        day = start + timedelta(days=offset)
        days.append((day, [p for p in posts if day <= p.publish_at < day + timedelta(days=1)]))
    return days


def upcoming() -> list[PlannedPost]:
    now = timezone.now()
    return list(visible().filter(publish_at__gte=now, published=False).order_by("publish_at", "id")[:SHOWN])


def published() -> list[PlannedPost]:
    """Published or due: most recent first."""
    now = timezone.now()
    rows = visible().exclude(publish_at=None).filter(publish_at__lt=now) | visible().filter(published=True)
    return list(rows.order_by("-publish_at", "-id")[:SHOWN])


def page(cursor: str | None, size: int) -> keyset.Page:
    """The API's pages: latest publication date first, undated ones last."""
    return keyset.paginate(visible(), ORDER, cursor, size, datetime_fields=frozenset({"sort_at"}))


def for_post(post_id: int | None) -> PlannedPost | None:
    """The planned post a real post was matched to (by the link column or by a person)."""
    if post_id is None:
        return None
    matched = (PlannedPost.Match.LINK, PlannedPost.Match.CONFIRMED)
    return visible().filter(post_id=post_id, match__in=matched).order_by("-pk").first()


def to_watch(since: datetime, now: datetime, until: datetime) -> tuple[list[PlannedPost], list[PlannedPost]]:
    """For a round (procedure, Étape 1): the planned posts published since `since`, and those due between
    now and `until` (the end of the next round), each in time order."""
    posts = visible().filter(publish_at__gt=since, publish_at__lte=until).order_by("publish_at", "id")
    published, coming = [], []
    for post in posts:
        (published if post.publish_at <= now else coming).append(post)
    return published, coming
