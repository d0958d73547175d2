from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from vigie.accounts.roles import requires
from vigie.audit.record import record
from vigie.ingestion import journal, raw_events
from vigie.ingestion.models import RawEvent
from vigie.lib.pages import page_of


@requires("manage_ingestion")
def failed_events(request):
    events = RawEvent.objects.filter(status=RawEvent.Status.FAILED).select_related("channel").order_by("-id")
    page = page_of(request, events, 50)
    counts = {status: RawEvent.objects.filter(status=status).count() for status in RawEvent.Status.values}
    counts[RawEvent.Status.PENDING] += journal.count()  # deliveries not yet taken
    return render(request, "ingestion/failed.html", {"page": page, "counts": counts})


@require_POST
@requires("manage_ingestion")
def retry(request, pk: int):
    event = get_object_or_404(RawEvent, pk=pk, status=RawEvent.Status.FAILED)
    with transaction.atomic():
        record(request.user, "raw_event.retried", event, summary=event.error[:200])
        raw_events.retry(event.pk)
    messages.success(request, f"Événement n° {event.pk} relancé.")
    return redirect("ingestion:failed")
