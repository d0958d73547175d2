"""A planned post and the real post it became: by the board's link column when it is filled, otherwise
a suggestion (same platform, close in time, similar words) that a person confirms."""

from datetime import timedelta
from urllib.parse import urlsplit

from django.utils import timezone

from vigie.inbox.models import Post
from vigie.planning.columns import fold
from vigie.replies.render import words_of

WINDOW = timedelta(hours=36)
MIN_TEXT_SIMILARITY = 0.2


def _normal(url: str) -> str:
    parts = urlsplit(url.strip())
    return f"{parts.netloc.lower().removeprefix('www.')}{parts.path.rstrip('/')}"


def post_for_link(url: str) -> Post | None:
    """The post whose permalink is this address (scheme, « www. », query and final slash aside)."""
    wanted = _normal(url)
    if not wanted:
        return None
    last = wanted.rsplit("/", 1)[-1]
    for post in Post.objects.filter(permalink__contains=last).order_by("pk"):
        if _normal(post.permalink) == wanted:
            return post
    return None


def similarity(planned_text: str, post_text: str) -> float:
    """Share of the planned post's words found in the real post's text."""
    wanted = words_of(fold(planned_text))
    return len(wanted & words_of(fold(post_text))) / len(wanted) if wanted else 0.0


def score(planned, post: Post) -> float:
    text = similarity(f"{planned.name} {planned.subject}", post.text)
    if text < MIN_TEXT_SIMILARITY or post.published_at is None or planned.publish_at is None:
        return 0.0
    hours = abs((post.published_at - planned.publish_at).total_seconds()) / 3600
    return round(0.7 * text + 0.3 * max(0.0, 1 - hours * 3600 / WINDOW.total_seconds()), 4)


def best_candidate(planned) -> Post | None:
    """The likeliest real post for a planned one that should be out by now, or None."""
    if planned.post_id or planned.publish_at is None or planned.publish_at > timezone.now():
        return None
    candidates = Post.objects.filter(
        published_at__gte=planned.publish_at - WINDOW, published_at__lte=planned.publish_at + WINDOW
    ).exclude(pk__in=planned.rejected_posts or [])
    if planned.platforms:
        candidates = candidates.filter(channel__platform__in=planned.platforms)
    scored = [(score(planned, post), post.pk, post) for post in candidates.exclude(planned_posts__isnull=False)]
    scored = [entry for entry in scored if entry[0] > 0]
    return max(scored, key=lambda entry: (entry[0], -entry[1]))[2] if scored else None
