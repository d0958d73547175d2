from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from vigie.accounts.roles import requires
from vigie.lib.pages import page_of
from vigie.moderation import outbox, tasks
from vigie.moderation.models import PlatformAction


@requires("manage_ingestion")
def outbox_page(request):
    actions = PlatformAction.objects.select_related("channel", "requested_by").order_by("-id")
    failed = page_of(request, actions.filter(status=PlatformAction.Status.FAILED), 50)
    waiting = actions.exclude(status__in=[PlatformAction.Status.FAILED, PlatformAction.Status.DONE])[:50]
    return render(request, "moderation/outbox.html", {"failed": failed, "waiting": waiting})


@require_POST
@requires("manage_ingestion")
def retry(request, pk: int):
    action = get_object_or_404(PlatformAction, pk=pk, status=PlatformAction.Status.FAILED)
    outbox.retry_failed(action, by=request.user)
    tasks.enqueue_after_commit(action.pk)
    messages.success(request, f"Action n° {action.pk} relancée.")
    return redirect("moderation:outbox")
