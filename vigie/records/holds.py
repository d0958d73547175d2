"""Legal holds: what the retention job and erasures must not touch yet.

Three sources: an admin's hold on a person or an author (`LegalHold`), a report to the platform that is
still open (`PlatformReport`), and any provider registered here, such as the crisis room's « open
crisis » (`register(provider)`: a function returning the ids of the messages it still needs).
"""

from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from vigie.audit.record import record
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


@transaction.atomic
def hold(author: Author, *, by, reason: str) -> LegalHold:
    """An admin keeps everything about this person (all linked identities) until released."""
    if not reason.strip():
        raise ValueError("Donnez la raison de la conservation légale.")
    found = LegalHold.objects.create(
        person=author.person, author=None if author.person_id else author, reason=reason.strip()[:300], created_by=by
    )
    record(
        by,
        "privacy.hold_set",
        found,
        summary=f"{by.get_username()} a placé une conservation légale (n° {found.pk}) : {found.reason}",
        after={"author_id": author.pk, "person_id": author.person_id},
    )
    return found


@transaction.atomic
def release(found: LegalHold, *, by) -> LegalHold:
    found.released_at = timezone.now()
    found.save(update_fields=["released_at"])
    record(
        by, "privacy.hold_released", found, summary=f"{by.get_username()} a levé la conservation légale n° {found.pk}"
    )
    return found


def holds_of(author: Author):
    """The open holds an admin placed on this author or their person."""
    query = LegalHold.objects.filter(released_at__isnull=True)
    if author.person_id:
        return query.filter(person_id=author.person_id) | query.filter(author__person_id=author.person_id)
    return query.filter(author=author)
