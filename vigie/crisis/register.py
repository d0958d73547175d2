"""The crisis register: every crisis, when and where, how big, how fast it was alerted, what was done."""

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from vigie.crisis.models import Crisis, CrisisMessage
from vigie.lib.rows import narrowed
from vigie.records.exports import span
from vigie.records.models import ImprovementAction
from vigie.vocabulary import PLATFORM_NAMES


def crises(*, platform: str = "", signal: str = "", status: str = "", date_from=None, date_to=None):
    """The crises, newest first, with their message count, filtered like the other registers."""
    found = Crisis.objects.select_related("statement", "closed_by").annotate(messages=Count("links", distinct=True))
    if platform:
        on_platform = CrisisMessage.objects.filter(crisis=OuterRef("pk"), message__channel__platform=platform)
        found = found.filter(Q(platform=platform) | Exists(on_platform))
    found = narrowed(found, signal=signal, status=status, detected_at__date__gte=date_from,
                     detected_at__date__lte=date_to)  # fmt: skip
    return found.order_by("-detected_at", "-id")


def rows(found, *, now=None) -> list[dict]:
    """One row per crisis for the page and the CSV: when, what, where, how big, how fast, what was done."""
    now = now or timezone.now()
    found = list(found)
    platforms: dict[int, set[str]] = {}
    pairs = CrisisMessage.objects.filter(crisis__in=found).values_list("crisis_id", "message__channel__platform")
    for crisis_id, name in pairs.distinct():
        platforms.setdefault(crisis_id, set()).add(name)
    actions = dict(
        ImprovementAction.objects.filter(crisis__in=found).values("crisis_id").annotate(n=Count("id"))
        .values_list("crisis_id", "n")
    )  # fmt: skip
    return [_crisis_row(c, platforms.get(c.pk, set()) | {c.platform}, actions.get(c.pk, 0), now) for c in found]


def _crisis_row(crisis, platforms: set[str], actions: int, now) -> dict:
    end = crisis.closed_at or now
    statement = getattr(crisis, "statement", None)
    return {
        "crisis": crisis,
        "opened": crisis.detected_at,
        "closed": crisis.closed_at,
        "signal": crisis.title,
        "platforms": ", ".join(sorted(PLATFORM_NAMES.get(p, p) for p in platforms)),
        "messages": crisis.messages,
        "to_alert": span(crisis.detected_at - crisis.started_at),
        "duration": span(end - crisis.started_at) + (" (en cours)" if crisis.closed_at is None else ""),
        "statement": _statement_state(statement),
        "review": "rédigé" if crisis.review_to_change else "",
        "actions": actions,
        "outcome": crisis.get_status_display(),
        "reason": crisis.reason,
    }


def _statement_state(statement) -> str:
    if statement is None:
        return "aucun"
    if statement.published_at:
        return f"publié le {timezone.localtime(statement.published_at):%d/%m/%Y %H:%M}"
    return statement.get_status_display().lower()
