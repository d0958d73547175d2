from django.db.models import Case, When
from django.utils.functional import SimpleLazyObject

from vigie.accounts.roles import can


def active_crises(request):
    """The open crises, for the banner on top of every page (UI.md), to everyone working the desk."""
    user = getattr(request, "user", None)
    if user is None or not can(user, "read_crisis"):
        return {"active_crises": []}
    from vigie.crisis.models import Crisis

    def pressing_first():  # escalated ones first, then the newest
        crises = Crisis.objects.filter(status__in=Crisis.ACTIVE)
        return list(crises.order_by(Case(When(status=Crisis.Status.ESCALATED, then=0), default=1), "-detected_at")[:5])

    return {"active_crises": SimpleLazyObject(pressing_first)}
