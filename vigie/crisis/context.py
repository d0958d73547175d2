from django.utils.functional import SimpleLazyObject

from vigie.accounts.roles import can


def active_crises(request):
    """The open crises, for the banner on top of every page (UI.md), to everyone working the desk."""
    user = getattr(request, "user", None)
    if user is None or not can(user, "read_crisis"):
        return {"active_crises": []}
    from vigie.crisis.models import Crisis

    return {"active_crises": SimpleLazyObject(lambda: list(Crisis.objects.filter(status__in=Crisis.ACTIVE)[:3]))}
