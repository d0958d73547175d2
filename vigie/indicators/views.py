"""« Indicateurs »: the direction's landing page (other roles reach it from the menu), each table's CSV."""

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe

from vigie.accounts.roles import DIRECTION, can, requires, roles_of
from vigie.indicators import charts, figures, periods, tables
from vigie.indicators.periods import BadPeriod
from vigie.records.exports import csv_response
from vigie.vocabulary import PLATFORM_NAMES

PLATFORM_CHOICES = [("", "Toutes les plateformes"), *PLATFORM_NAMES.items()]


def home(request):
    """Where « Vigie » and the login lead: the direction to the indicators, the others to the inbox."""
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login("/")  # back here after logging in, to find the way by role
    if DIRECTION in roles_of(user) and can(user, "read_indicators"):
        return redirect("indicators:page")
    return redirect("inbox:list")


def _platform(request) -> str | None:
    value = request.GET.get("platform", "")
    if value and value not in PLATFORM_NAMES:
        raise BadPeriod(f"Plateforme inconnue : « {value} ».")
    return value or None


def _report(request) -> tuple[periods.Period, dict]:
    period = periods.from_query(request.GET, timezone.localdate())
    return period, figures.build(period, platform=_platform(request))


@requires("read_indicators")
def page(request):
    try:
        period, report = _report(request)
    except BadPeriod as error:
        return render(request, "indicators/page.html", {"error": str(error), **_choices(request)}, status=400)
    pm = report["private_messages"]
    drawn = [
        charts.volumes(report["series"]),
        charts.deadlines(report["series"]),
        charts.response_times(pm["response_times"], pm["median_first_response_minutes"]),
    ]
    context = {
        "period": period,
        "previous": period.previous(),
        "report": report,
        "charts": [(chart, mark_safe(charts.svg(chart))) for chart in drawn],  # noqa: S308 — escaped in charts.svg
        "tables": tables.all_tables(report),
        "query": request.GET.urlencode(),
        **_choices(request),
    }
    return render(request, "indicators/page.html", context)


def _choices(request) -> dict:
    current = request.GET.get("period", "") if not request.GET.get("from") else periods.CUSTOM
    return {
        "presets": [
            (key, name, current == key or (not current and key == periods.MONTH))
            for key, name in periods.PRESETS.items()
        ],
        "platforms": PLATFORM_CHOICES,
        "chosen_platform": request.GET.get("platform", ""),
        "chosen_period": request.GET.get("period", periods.MONTH),
        "date_from": request.GET.get("from", ""),
        "date_to": request.GET.get("to", ""),
    }


@requires("read_indicators")
def export(request, key: str):
    make = tables.TABLES.get(key)
    if make is None:
        raise Http404
    try:
        period, report = _report(request)
    except BadPeriod as error:
        return HttpResponseBadRequest(str(error), content_type="text/plain; charset=utf-8")
    table = make(report)
    name = f"vigie-indicateurs-{key}-{period.start:%Y%m%d}-{period.end:%Y%m%d}.csv"
    return csv_response(name, table.headers, table.rows)
