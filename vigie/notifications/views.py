from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from vigie.accounts.roles import requires
from vigie.notifications.models import Notification, Preference
from vigie.notifications.service import wants_email


@requires("read_inbox")
def notification_list(request):
    page = Paginator(request.user.notifications.all(), 50).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {"page": page, "by_email": wants_email(request.user)})


@require_POST
@requires("read_inbox")
def open_notification(request, pk: int):
    """Mark it read and go where it points (only inside Vigie)."""
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
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
    messages.success(request, f"{count} notification(s) marquée(s) comme lue(s).")
    return redirect("notifications:list")


@require_POST
@requires("read_inbox")
def preferences(request):
    by_email = request.POST.get("by_email") == "1"
    Preference.objects.update_or_create(user=request.user, defaults={"by_email": by_email})
    messages.success(request, "Vous recevrez aussi les notifications par e-mail." if by_email
                     else "Vous ne recevrez plus les notifications par e-mail.")  # fmt: skip
    return redirect("notifications:list")
