"""Telling the team: who is told, in the application at once, by e-mail after commit."""

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db import transaction

from vigie.notifications.models import Notification, Preference


def recipients(roles: Iterable[str]):
    """Active people holding one of these roles."""
    return get_user_model().objects.filter(is_active=True, groups__name__in=list(roles)).distinct().order_by("pk")


def notify(roles: Iterable[str], title: str, body: str = "", *, link: str = "", reason: str = "",
           email: bool = True) -> list[Notification]:  # fmt: skip
    """One notification per person holding one of `roles`; e-mailed (after commit) to those who want it."""
    return notify_people(recipients(roles), title, body, link=link, reason=reason, email=email)


def notify_people(people: Iterable, title: str, body: str = "", *, link: str = "", reason: str = "",
                  email: bool = True) -> list[Notification]:  # fmt: skip
    """One notification per person named; e-mailed (after commit) to those who want it."""
    from vigie.notifications import tasks

    created = Notification.objects.bulk_create(
        [Notification(recipient=user, title=title[:200], body=body, link=link, reason=reason[:200]) for user in people]
    )
    if email and created:
        ids = [notification.pk for notification in created]
        transaction.on_commit(lambda: tasks.send_emails(ids))
    return created


def wants_email(user) -> bool:
    preference = Preference.objects.filter(user=user).first()
    return preference.by_email if preference else True
