import csv

from django import forms
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from vigie.accounts.people import PersonChoiceField, everyone
from vigie.accounts.roles import requires
from vigie.audit.models import AuditEvent
from vigie.lib import keyset
from vigie.lib.forms import Form
from vigie.lib.spreadsheet import safe_row
from vigie.records import sentences

ORDER = ("created_at", "id")


class AuditFilterForm(Form):
    actor = PersonChoiceField(label="Qui", required=False, queryset=everyone(), empty_label="Tout le monde")
    verb = forms.CharField(label="Action (un mot : répondu, supprimer, statut…)", required=False, max_length=50)
    target = forms.CharField(label="Objet (type#id)", required=False, max_length=120)
    date_from = forms.DateField(label="Du", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label="Au", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def events(self):
        events = AuditEvent.objects.select_related("actor")
        data = self.cleaned_data
        if data.get("actor"):
            events = events.filter(actor=data["actor"])
        if data.get("verb"):
            events = events.filter(verb__in=sentences.verbs_matching(data["verb"]))
        if data.get("target"):
            target_type, _, target_id = data["target"].partition("#")
            events = events.filter(target_type=target_type.strip())
            if target_id.strip():
                events = events.filter(target_id=target_id.strip())
        if data.get("date_from"):
            events = events.filter(created_at__date__gte=data["date_from"])
        if data.get("date_to"):
            events = events.filter(created_at__date__lte=data["date_to"])
        return events


def _filtered(request):
    form = AuditFilterForm(request.GET)  # every field is optional: an empty query is valid
    return form, form.events() if form.is_valid() else AuditEvent.objects.none()


@requires("read_audit")
def audit_log(request):
    form, events = _filtered(request)
    try:
        page = keyset.paginate(events, ORDER, request.GET.get("after"), 100, frozenset({"created_at"}))
    except keyset.BadCursor:
        page = keyset.paginate(events, ORDER, None, 100, frozenset({"created_at"}))
    query = request.GET.copy()
    query.pop("after", None)
    events = sentences.describe(page.items)
    return render(request, "audit/log.html", {"form": form, "page": page, "events": events, "query": query.urlencode()})


class _Echo:
    def write(self, value):
        return value


CSV_HEADER = ["date", "qui", "action", "objet", "identifiant", "résumé", "avant", "après"]


def _csv_rows(events):
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(CSV_HEADER)
    for event in events.order_by("created_at", "id").iterator(chunk_size=2000):
        yield writer.writerow(safe_row([
            timezone.localtime(event.created_at).isoformat(), event.actor_label, event.verb, event.target_type,
            event.target_id, event.summary, event.before or "", event.after or "",
        ]))  # fmt: skip


@requires("read_audit")
def audit_export(request):
    _, events = _filtered(request)
    response = StreamingHttpResponse(_csv_rows(events), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="vigie-journal-audit.csv"'
    return response
