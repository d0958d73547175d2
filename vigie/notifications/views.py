from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from vigie.accounts.roles import requires
from vigie.lib.pages import page_of
from vigie.lib.plural import pluriel
from vigie.notifications.models import Kind, Preference, email_kinds


@requires("read_inbox")
def notification_list(request):
    page = page_of(request, request.user.notifications.all(), 50)
    chosen = email_kinds(request.user)
    kinds = [(kind.value, kind.label, kind.value in chosen) for kind in Kind]
    return render(request, "notifications/list.html", {"page": page, "kinds": kinds, "by_email": bool(chosen)})


@require_POST
@requires("read_inbox")
def open_notification(request, pk: int):
    """Mark it read and go where it points (only inside Vigie)."""
    notification = get_object_or_404(request.user.notifications, pk=pk)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    target = notification.link
    if not target or not url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        return redirect("notifications:list")
    return redirect(target)


@require_POST
@requires("read_inbox")
def mark_all_read(request):
    count = request.user.notifications.filter(read_at__isnull=True).update(read_at=timezone.now())
    s = pluriel(count)
    messages.success(request, f"{count} notification{s} marquée{s} comme lue{s}.")
    return redirect("notifications:list")


@require_POST
@requires("read_inbox")
def preferences(request):
    """Which kinds of notifications also reach this person by e-mail (none: Vigie only)."""
    chosen = [kind.value for kind in Kind if kind.value in request.POST.getlist("email_kinds")]
    Preference.objects.update_or_create(user=request.user, defaults={"by_email": bool(chosen), "email_kinds": chosen})
    messages.success(request, "Préférences enregistrées : " + (
        f"{len(chosen)} type{pluriel(chosen)} de notification par e-mail."
        if chosen else "aucune notification par e-mail."
    ))  # fmt: skip
    return redirect("notifications:list")
