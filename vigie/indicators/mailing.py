"""The monthly report e-mailed to the direction on the first working day of the month (the desk's calendar:
its working days and French public holidays), once: a job that runs again, or late, sends nothing twice."""

from datetime import date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from vigie.accounts.roles import DIRECTION
from vigie.indicators import pdf
from vigie.indicators.models import MonthlyReport
from vigie.indicators.periods import month_of, paris_day
from vigie.sla.models import ClockSettings


def first_working_day(month: date) -> date | None:
    calendar = ClockSettings.current().calendar()
    following = month_of(month).end
    return next(iter(calendar.open_days(month.replace(day=1), following)), None)


def month_due(now: datetime) -> date | None:
    """The month whose report is due (the previous one), once this month's first working day has come."""
    today = paris_day(now)
    first = first_working_day(today)
    if first is None or today < first:
        return None
    return (today.replace(day=1) - timedelta(days=1)).replace(day=1)


def _recipients() -> list[str]:
    people = get_user_model().objects.filter(is_active=True, groups__name=DIRECTION).exclude(email="")
    return sorted(set(people.values_list("email", flat=True)))


def send_monthly_report(now: datetime | None = None) -> MonthlyReport | None:
    """Send the report due, if it was not sent yet; the row of what was sent, or None."""
    now = now or timezone.now()
    month = month_due(now)
    recipients = _recipients()
    if month is None or not recipients:
        return None
    with transaction.atomic():
        report, _ = MonthlyReport.objects.select_for_update().get_or_create(month=month)
        if report.sent_at is not None:
            return None
        document = pdf.render(month_of(month), now=now)
        name = pdf.month_name(month)
        email = EmailMessage(
            subject=f"[Vigie] Rapport mensuel des indicateurs — {name}",
            body=(
                f"Bonjour,\n\nVoici le rapport mensuel de Vigie pour {name} : chiffres clés, graphiques, faits "
                "marquants, crises et retours d'expérience, actions d'amélioration.\n\nLes mêmes chiffres, à jour, "
                "sont sur la page « Indicateurs » de Vigie.\n"
            ),
            to=recipients,
        )
        email.attach(f"vigie-rapport-{month:%Y-%m}.pdf", document, "application/pdf")
        email.send()
        report.sent_at, report.recipients, report.size = now, recipients, len(document)
        report.save()
    return report
