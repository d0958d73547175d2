"""Which replies to offer for a message, filled for that message (its author, its words): the messages
prepared for its post in the planning first, then the reply templates."""

from dataclasses import dataclass

from django.conf import settings

from vigie.inbox.models import Message
from vigie.replies.models import Charter, ReplyTemplate, Source
from vigie.replies.render import Candidate, first_name, render, suggest, words_of


@dataclass(frozen=True)
class Offer:
    template: ReplyTemplate | None  # None for a message prepared in the planning
    text: str  # filled; unknown placeholders stay visible
    suggested: bool
    prepared: bool = False


def values_for(message: Message | None) -> dict[str, str]:
    charter = Charter.current()
    source = best_source(message.text) if message else None
    return {
        "prenom": first_name(message.author.display_name) if message and message.author else "",
        "lien_charte": charter.url if charter else "",
        "lien_site": settings.CENTRE_SITE_URL,
        "source": f"{source.title} ({source.url})" if source else "",
    }


def best_source(text: str) -> Source | None:
    """The reliable source whose keywords the message mentions most (to answer false information)."""
    words = words_of(text)
    scored = [(len(words & words_of(s.keywords.replace(",", " "))), s) for s in Source.objects.all()]
    scored = [(score, source) for score, source in scored if score]
    return max(scored, key=lambda pair: (pair[0], -pair[1].pk))[1] if scored else None


def _label_of(message: Message | None) -> str:
    classification = getattr(message, "classification", None) if message is not None else None
    return classification.effective_label if classification is not None else ""


def for_message(
    message: Message | None, platform: str, prepared: tuple[str, ...] | list[str] = (), extra: dict | None = None
) -> list[Offer]:
    """The `prepared` messages (the planning's, for the message's post) first, then every active
    template of the platform and kind of message, those fitting the message's label first (★), the closest to
    its words leading. `extra` fills more placeholders of the prepared messages ({sujet}…)."""
    kinds = ["", message.kind] if message is not None else [""]
    templates = list(ReplyTemplate.objects.filter(active=True, platform__in=["", platform], kind__in=kinds))
    label = _label_of(message)
    rank: dict[int, int] = {}  # template → its place among the suggestions
    if label and message is not None:
        candidates = [Candidate(t.pk, t.label, t.platform, t.body, t.usage_count) for t in templates]
        ranked = suggest(candidates, label=label, platform=platform, text=message.text)
        rank = {key: place for place, key in enumerate(ranked)}
    values = values_for(message)
    offers = [Offer(t, render(t.body, values), t.pk in rank) for t in templates]
    offers.sort(key=lambda o: (rank.get(o.template.pk, len(rank)), o.template.label, -o.template.usage_count))
    first = [Offer(None, render(text, {**(extra or {}), **values}), True, prepared=True) for text in prepared]
    return first + offers
