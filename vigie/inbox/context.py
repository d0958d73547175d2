from django.utils.functional import SimpleLazyObject

from vigie.accounts.roles import can


def awaiting_approval(request):
    """How many replies wait for approval, for the menu's « À approuver » of those who approve them."""
    user = getattr(request, "user", None)
    if user is None or not can(user, "approve_reply"):
        return {"awaiting_approval": 0}
    from vigie.inbox.models import Message

    waiting = Message.objects.filter(delivery=Message.Delivery.AWAITING_APPROVAL)
    return {"awaiting_approval": SimpleLazyObject(waiting.count)}
