"""Complex requests and internal review tasks inside Vigie, with or without Freshdesk."""

from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from vigie.audit.models import AuditEvent
from vigie.helpdesk import reminders, service
from vigie.helpdesk.models import HelpdeskTicket, Task
from vigie.inbox.errors import ActionError
from vigie.inbox.models import Message
from vigie.moderation.models import PlatformAction
from vigie.notifications.models import Notification
from vigie.replies import defaults

pytestmark = pytest.mark.django_db


def start(item, cm, **overrides):
    due_on = service.default_due()
    text, template = service.holding_text(item, due_on)
    values = {"text": text, "owner": cm, "due_on": due_on, "by": cm, "template": template} | overrides
    return service.start_complex_request(item, **values)


def test_the_holding_reply_states_the_delay_and_greets_the_author(complex_item):
    defaults.install()
    text, template = service.holding_text(complex_item, date(2026, 12, 7))
    assert template is not None and template.label == "complex_request"
    assert text.startswith("Bonjour Chloé,") and "d'ici le lundi 7 décembre" in text
    assert "{" not in text


def test_without_a_template_the_holding_reply_still_states_the_delay(complex_item):
    text, template = service.holding_text(complex_item, date(2026, 12, 7))
    assert template is None and "d'ici le lundi 7 décembre" in text


def test_a_complex_request_gets_a_holding_reply_and_a_task_without_freshdesk(complex_item, cm):
    with time_machine.travel("2026-11-27T18:30:00+01:00"):  # a Friday evening
        task = start(complex_item, cm)
    assert task.due_on == date(2026, 12, 4) and task.owner == cm and task.status == Task.Status.OPEN
    reply = Message.objects.get(kind="reply")
    assert reply.parent == complex_item.message and "d'ici le vendredi 4 décembre" in reply.text
    assert PlatformAction.objects.get(verb="reply").reply_message == reply  # the normal reply path
    assert not HelpdeskTicket.objects.exists()  # Freshdesk is not connected
    verbs = set(AuditEvent.objects.values_list("verb", flat=True))
    assert {"thread.reply_queued", "task.created", "item.holding_reply"} <= verbs


def test_a_second_follow_up_is_refused_while_one_is_open(complex_item, cm):
    start(complex_item, cm)
    with pytest.raises(ActionError, match="déjà ouverte"):
        start(complex_item, cm)
    assert Message.objects.filter(kind="reply").count() == 1  # nothing of the second attempt stays


def test_a_due_date_in_the_past_is_refused(complex_item, cm):
    with pytest.raises(ActionError, match="déjà passée"):
        service.create_task(complex_item, owner=cm, due_on=timezone.localdate() - timedelta(days=1), by=cm)


def test_closing_a_task_records_the_outcome_and_sends_the_final_answer(complex_item, cm):
    task = start(complex_item, cm)
    service.close_task(
        task,
        outcome="VAE possible dès janvier, report accepté",
        by=cm,
        final_reply="Bonjour Chloé, bonne nouvelle : votre report est accepté.",
    )
    task.refresh_from_db()
    assert task.status == Task.Status.DONE and task.outcome.startswith("VAE possible") and task.closed_by == cm
    assert Message.objects.filter(kind="reply").count() == 2
    assert AuditEvent.objects.filter(verb="task.closed", summary__contains="report accepté").exists()
    with pytest.raises(ActionError, match="déjà terminée"):
        service.close_task(task, outcome="encore", by=cm)


def test_a_task_needs_an_outcome_to_be_closed(complex_item, cm):
    task = service.create_task(complex_item, owner=cm, due_on=service.default_due(), by=cm)
    with pytest.raises(ActionError, match="issue"):
        service.close_task(task, outcome="  ", by=cm)


def test_the_owner_of_an_overdue_task_is_notified_once(complex_item, cm, personas):
    service.create_task(complex_item, owner=cm, due_on=timezone.localdate() + timedelta(days=1), by=cm)
    assert reminders.notify_overdue() == 0
    with time_machine.travel(timezone.now() + timedelta(days=3)):
        assert reminders.notify_overdue() == 1
        assert reminders.notify_overdue() == 0
    [notification] = Notification.objects.all()
    assert notification.recipient == cm and notification.title.startswith("Tâche en retard")
    assert notification.link == reverse("inbox:item", args=[complex_item.pk])


def test_the_timeline_tells_the_follow_up_in_order(complex_item, cm):
    from vigie.helpdesk import queries

    task = start(complex_item, cm)
    service.close_task(task, outcome="Réglé", by=cm)
    summaries = [event.summary for event in queries.timeline(complex_item, [task])]
    assert summaries[0] == "À traiter → En attente · réponse envoyée"  # the holding reply's effect on the item
    assert summaries[1].startswith("Tâche « Faire le point en interne : Chloé Rousseau")
    assert summaries[2].startswith("Réponse d'attente envoyée ; point interne d'ici le")
    assert summaries[-1] == "Tâche terminée : Réglé"


def test_the_delay_is_in_french_whatever_the_browser_language(complex_item):
    from django.utils import translation

    with translation.override("en"):
        text, _ = service.holding_text(complex_item, date(2026, 12, 7))
    assert "d'ici le lundi 7 décembre" in text
