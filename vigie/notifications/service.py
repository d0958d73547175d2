"""Telling the team: who is told, in the application at once, by e-mail after commit.

One unread notification per subject (`about`, e.g. an item) and person: a new event on the same item
updates it instead of adding a line. Urgent ones are e-mailed at once; the others wait for the digest
(`tasks.send_digests`). Each person chooses which kinds reach them by e-mail.
"""

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from vigie.notifications import tasks
from vigie.notifications.models import Kind, Notification, email_kinds


def recipients(roles: Iterable[str]):
    """Active people holding one of these roles."""
    return get_user_model().objects.filter(is_active=True, groups__name__in=list(roles)).distinct().order_by("pk")


def subject_key(about) -> str:
    """ "item:42" for a model instance, "" for nothing (every event is then its own notification)."""
    return f"{about._meta.model_name}:{about.pk}" if about is not None else ""


def notify(roles: Iterable[str], title: str, body: str = "", **options) -> list[Notification]:
    """Everyone holding one of `roles` is told (see `notify_people` for the options)."""
    return notify_people(recipients(roles), title, body, **options)


def notify_people(people, title: str, body: str = "", *, link: str = "", reason: str = "", email: bool = True,
                  kind: str = Kind.OTHER, about=None, urgent: bool = False,
                  email_again: bool = True, settles: bool = False) -> list[Notification]:  # fmt: skip
    """One notification per person (updated if one about the same subject is still unread); urgent ones are
    e-mailed after commit to those who want this kind by e-mail, the others go in the digest. With
    `email_again=False`, updating a still unread notification does not e-mail it a second time. With
    `settles`, the news calms the subject down (an alert lifted): a still unread urgent one stops being urgent."""
    key = subject_key(about)
    values = {"title": title[:200], "body": body, "link": link, "reason": reason[:200], "kind": kind}
    told = [
        _tell(person, key, values, urgent=urgent, email=email, email_again=email_again, settles=settles)
        for person in people
        if person is not None
    ]
    if email and urgent and told:
        ids = [notification.pk for notification in told]
        transaction.on_commit(lambda: tasks.send_emails(ids))
    return told


def _tell(person, key: str, values: dict, *, urgent: bool, email: bool, email_again: bool,
          settles: bool) -> Notification:  # fmt: skip
    unread = (
        Notification.objects.select_for_update().filter(recipient=person, key=key, read_at__isnull=True).first()
        if key
        else None
    )
    # a notification not to e-mail is marked as done with e-mail, so that no digest picks it up
    emailed_at = None if email else timezone.now()
    if unread is None:
        return Notification.objects.create(recipient=person, key=key, urgent=urgent, emailed_at=emailed_at, **values)
    if not email_again:
        emailed_at = unread.emailed_at  # e-mailed already (or about to be, once): not again
    Notification.objects.filter(pk=unread.pk).update(
        count=F("count") + 1,
        urgent=urgent or (unread.urgent and not settles),
        emailed_at=emailed_at,
        updated_at=timezone.now(),
        **values,
    )
    unread.refresh_from_db()
    return unread


def settle(about, kind: str) -> int:
    """What the notifications of this kind about this subject asked for is done (the reply approved or
    refused…): still unread, they are marked read for everyone, as nothing is left to act on; how many."""
    unread = Notification.objects.filter(key=subject_key(about), kind=kind, read_at__isnull=True)
    return unread.update(read_at=timezone.now())


def told_about(about, kind: str):
    """Who was told about this subject (an item…), with notifications of this kind, read or not."""
    people = Notification.objects.filter(key=subject_key(about), kind=kind).values("recipient")
    return get_user_model().objects.filter(pk__in=people, is_active=True).order_by("pk")


def wants_email(user, kind: str = Kind.OTHER) -> bool:
    return kind in email_kinds(user)
