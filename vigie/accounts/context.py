from django.utils.functional import SimpleLazyObject

from vigie.accounts.roles import CAPABILITIES, can


def roles(request):
    """`can.reply`, `can.read_audit`… and the count of unread notifications, in every template."""
    user = getattr(request, "user", None)
    if user is None:
        return {"can": {}}
    unread = SimpleLazyObject(lambda: user.notifications.filter(read_at__isnull=True).count())
    return {"can": {name: can(user, name) for name in CAPABILITIES}, "unread_notifications": unread}
