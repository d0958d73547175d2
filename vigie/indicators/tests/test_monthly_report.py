"""The monthly PDF (its text read back) and its e-mail on the first working day of the month, once."""

import io

import pytest
import time_machine
from django.core import mail
from pypdf import PdfReader

from vigie.crisis.models import Crisis
from vigie.indicators import mailing, pdf
from vigie.indicators.models import MonthlyReport
from vigie.indicators.periods import month_of
from vigie.indicators.tests.conftest import at
from vigie.records import improvements

pytestmark = pytest.mark.django_db


def _text(document: bytes) -> str:
    """The PDF's words, one space apart (a table cell wraps its text on several lines)."""
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(document)).pages).split())


@pytest.fixture
def november(message, personas):
    message("2026-11-10T10:00:00+01:00", label="question")
    message("2026-11-10T11:00:00+01:00", label="abuse", staff=True)
    Crisis.objects.create(
        signal="staff_attack", platform="facebook", explanation="Trois attaques contre la directrice",
        status="closed", started_at=at("2026-11-05T10:00:00+01:00"), detected_at=at("2026-11-05T10:04:00+01:00"),
        last_message_at=at("2026-11-05T10:30:00+01:00"), closed_at=at("2026-11-05T12:00:00+01:00"),
        review_what_happened="Une vague coordonnée", review_to_change="Répondre plus tôt",
    )  # fmt: skip
    with time_machine.travel(at("2026-11-06T10:00:00+01:00")):
        improvements.open_action(by=personas["direction"], title="Former l'équipe aux réponses de crise",
                                 owner=personas["communication"], due_on=at("2026-12-01T00:00:00+01:00").date(),
                                 origin="crisis")  # fmt: skip


def test_the_pdf_holds_figures_charts_events_crises_reviews_and_actions(november):
    text = _text(pdf.render(month_of(at("2026-11-15T00:00:00+01:00").date()), now=at("2026-12-01T07:00:00+01:00")))
    assert "rapport mensuel des indicateurs, novembre 2026" in text
    assert "Messages reçus" in text and "Messages reçus par étiquette" in text
    assert "Faits marquants" in text and "1 message visant un membre du personnel." in text
    assert "Réclamations inscrites au registre : 0, dont 0 résolue." in text
    assert "Une vague coordonnée" in text and "Répondre plus tôt" in text
    assert "Former l'équipe aux réponses de crise" in text


def test_the_notable_events_write_french_plurals():
    report = {"series": {"points": []}, "staff_attacks": 2, "moderation": {"repeat_offenders": 1},
              "rounds": {"missed": 2}, "private_messages": {"overdue": 1}, "crises": {"list": []}}  # fmt: skip
    assert pdf.notable_events(report) == [
        "2 messages visant un membre du personnel.",
        "1 récidiviste (deux messages inappropriés ou plus).",
        "2 tours de veille manqués.",
        "1 message privé resté sans réponse après son délai.",
    ]
    report.update(staff_attacks=0, moderation={"repeat_offenders": 3}, rounds={"missed": 1})
    report["private_messages"]["overdue"] = 4
    assert pdf.notable_events(report) == [
        "3 récidivistes (deux messages inappropriés ou plus).",
        "1 tour de veille manqué.",
        "4 messages privés restés sans réponse après leur délai.",
    ]


def test_the_report_goes_to_the_direction_on_the_first_working_day_once(november, personas, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    MonthlyReport.objects.create(month=at("2026-10-01T00:00:00+02:00").date(), sent_at=at("2026-11-02T07:00:00+01:00"))
    assert mailing.send_monthly_report(at("2026-11-30T09:00:00+01:00")) is None  # October went; November is not over
    sent = mailing.send_monthly_report(at("2026-12-01T07:00:00+01:00"))  # Tuesday 1 December
    assert sent.month.isoformat() == "2026-11-01" and sent.recipients == [personas["direction"].email]
    assert mailing.send_monthly_report(at("2026-12-01T08:00:00+01:00")) is None
    [email] = mail.outbox
    assert email.to == [personas["direction"].email] and "novembre 2026" in email.subject
    [(name, content, kind)] = email.attachments
    assert name == "vigie-rapport-2026-11.pdf" and kind == "application/pdf"
    assert "Une vague coordonnée" in _text(content)


def test_a_month_that_starts_on_a_holiday_waits_for_its_first_working_day(personas, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert mailing.first_working_day(at("2027-01-01T12:00:00+01:00").date()).isoformat() == "2027-01-04"
    assert mailing.send_monthly_report(at("2027-01-01T07:00:00+01:00")) is None  # New Year's Day, a Friday
    assert mailing.send_monthly_report(at("2027-01-02T07:00:00+01:00")) is None  # Saturday
    assert mailing.send_monthly_report(at("2027-01-04T07:00:00+01:00")).month.isoformat() == "2026-12-01"
    assert len(mail.outbox) == 1 and MonthlyReport.objects.count() == 1


def test_a_late_job_still_sends_the_month_it_missed(personas, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert mailing.send_monthly_report(at("2026-12-09T07:00:00+01:00")).month.isoformat() == "2026-11-01"
