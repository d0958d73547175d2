"""Legal holds: what the retention job and erasures must not touch yet.

Three sources: an admin's hold on a person or an author (`LegalHold`), a report to the platform that is
still open (`PlatformReport`), and any provider registered here, such as the crisis room's « open
crisis » (`register(provider)`: a function returning the ids of the messages it still needs).
"""

from collections.abc import Callable

from vigie.inbox.models import Author, Message
from vigie.records.models import LegalHold, PlatformReport

_providers: list[Callable[[], set[int]]] = []


def register(provider: Callable[[], set[int]]) -> Callable[[], set[int]]:
    """Add a source of held message ids (e.g. the messages of an open crisis). Usable as a decorator."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def unregister(provider) -> None:
    if provider in _providers:
        _providers.remove(provider)


def held_message_ids() -> set[int]:
    held = set(PlatformReport.objects.filter(closed=False).values_list("message_id", flat=True))
    for provider in _providers:
        held |= set(provider())
    return held


def held_author_ids() -> set[int]:
    """Authors held by an admin (directly or through their person), or with a held message; a person's
    linked identities are held together."""
    holds = LegalHold.objects.filter(released_at__isnull=True)
    authors = set(holds.exclude(author=None).values_list("author_id", flat=True))
    persons = set(holds.exclude(person=None).values_list("person_id", flat=True))
    authors |= set(
        Message.objects.filter(pk__in=held_message_ids()).exclude(author=None).values_list("author_id", flat=True)
    )
    persons |= set(Author.objects.filter(pk__in=authors).exclude(person=None).values_list("person_id", flat=True))
    return authors | set(Author.objects.filter(person_id__in=persons).values_list("pk", flat=True))
