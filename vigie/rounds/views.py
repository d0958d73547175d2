import csv

from django.contrib import messages
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from vigie.accounts.people import name_of
from vigie.accounts.roles import can, requires
from vigie.inbox import queries as inbox_queries
from vigie.inbox.errors import ActionError
from vigie.lib.clock import PARIS
from vigie.lib.pages import filters_of, page_of
from vigie.lib.spreadsheet import safe_row
from vigie.planning import queries as planning_queries
from vigie.rounds import service
from vigie.rounds.forms import ClockSettingsForm, HistoryForm, SignOffForm, WindowForm
from vigie.rounds.models import Round, RoundWindow, Slot
from vigie.sla.deadlines import OVERDUE
from vigie.sla.models import ClockSettings

HISTORY_PAGE = 21  # a week of rounds
OVERDUE_LIST = inbox_queries.Filters(sla=OVERDUE)  # the inbox's « Messages privés en retard », linked from a round


@requires("read_inbox")
def rounds(request):
    return _rounds_page(request, SignOffForm())


def _rounds_page(request, sign_form: SignOffForm):
    """Today's rounds, the one in progress with its sign-off form, and the history."""
    now = timezone.now()
    form = HistoryForm(request.GET or None)
    current = Round.objects.filter(status=Round.Status.STARTED).order_by("-started_at").first()
    context = {
        "now": now,
        "today": service.today(now),
        "current": current,
        "urgent": list(service.urgent_items(now).select_related("message__author")[:20]) if current else [],
        "to_check": service.to_check(now) if current else 0,
        "overdue": inbox_queries.items(OVERDUE_LIST, request.user).count() if current else 0,
        "sign_form": sign_form,
        "form": form,
        "history": page_of(request, service.history(**form.criteria()), HISTORY_PAGE),
        "query": filters_of(request),
        "may_do": can(request.user, "do_rounds"),
    }
    if current is not None:  # what the planning says to watch: published since, due before the next round
        since = current.since or now - service.FIRST_ROUND_LOOKS_BACK
        context["published"], context["coming"] = planning_queries.to_watch(since, now, service.next_round_end(now))
    return render(request, "rounds/rounds.html", context)


@require_POST
@requires("do_rounds")
def start(request, slot: str):
    if slot not in Slot.values:
        raise Http404("Tour inconnu")
    try:
        service.start(slot, by=request.user, now=timezone.now())
    except ActionError as exc:
        messages.error(request, str(exc))
    return redirect("rounds:list")


@require_POST
@requires("do_rounds")
def sign(request, pk: int):
    """Sign the round off; refused, the page comes back with what the person wrote, to complete it."""
    row = get_object_or_404(Round, pk=pk)
    form = SignOffForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Formulaire invalide : " + " ".join(e for errs in form.errors.values() for e in errs))
        return _rounds_page(request, form)
    try:
        service.sign_off(row, by=request.user, now=timezone.now(), **form.cleaned_data)
    except ActionError as exc:
        messages.error(request, str(exc))
        return _rounds_page(request, form)
    messages.success(request, f"{row} signé.")
    return redirect("rounds:list")


class _Echo:
    def write(self, value):
        return value


CSV_HEADER = [
    "jour", "tour", "fenêtre", "état", "commencé par", "commencé à", "signé par", "signé à", "nouveaux éléments",
    "traités", "laissés ouverts", "motif", "urgents non traités", "motif urgent",
]  # fmt: skip


def _time(moment) -> str:
    return moment.astimezone(PARIS).isoformat(timespec="minutes") if moment else ""


def _csv_rows(rows):
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(CSV_HEADER)
    for r in rows.iterator(chunk_size=500):
        yield writer.writerow(safe_row([
            r.day.isoformat(), r.get_slot_display(), f"{_time(r.window_start)[11:]}–{_time(r.window_end)[11:]}",
            r.get_status_display(), name_of(r.started_by), _time(r.started_at), name_of(r.signed_by),
            _time(r.signed_at), sum(a.get("count", 0) for a in r.arrivals), r.handled, r.left_open,
            r.left_open_reason, r.urgent_left, r.urgent_reason,
        ]))  # fmt: skip


@requires("read_inbox")
def export(request):
    form = HistoryForm(request.GET or None)
    response = StreamingHttpResponse(
        _csv_rows(service.history(**form.criteria())), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="vigie-tours-de-veille.csv"'
    return response


@requires("manage_calendar")
def settings_page(request):
    windows = RoundWindow.all_windows()
    data = request.POST if request.method == "POST" else None
    settings_form = ClockSettingsForm(data, instance=ClockSettings.current())
    window_forms = [WindowForm(data, instance=w, prefix=w.slot) for w in windows]
    if data is not None and settings_form.is_valid() and all(f.is_valid() for f in window_forms):
        service.save_settings(settings_form, window_forms, by=request.user)
        messages.success(request, "Réglages enregistrés.")
        return redirect("rounds:settings")
    return render(request, "rounds/settings.html", {"form": settings_form, "windows": window_forms})
