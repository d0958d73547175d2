"""The demo shows follow-ups: tasks in every state and, with the local Freshdesk, tickets."""

from datetime import timedelta

import pytest
from django.core.management import call_command

from vigie.demo.live import LiveFeed
from vigie.helpdesk import demo
from vigie.helpdesk.models import HelpdeskTicket, Task
from vigie.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_the_demo_stages_tasks_without_freshdesk():
    call_command("demo", "--no-serve")
    desk = Task.objects.exclude(item__message__external_id__startswith="hist-")  # not the indicators' history
    assert desk.filter(status="open").count() == 3 and desk.filter(status="done").count() == 1
    assert any(task.overdue for task in desk)
    closed = desk.get(status="done")  # opened when its message came, not when the demo staged it
    assert closed.created_at == closed.item.received_at + timedelta(hours=2) < closed.closed_at
    assert Notification.objects.filter(title__startswith="Tâche en retard", recipient__username="camille").exists()
    assert not HelpdeskTicket.objects.exists()
    count = Task.objects.count()
    call_command("demo", "--no-serve")
    assert Task.objects.count() == count and desk.count() == 4  # staged once


@pytest.fixture
def live(settings):
    feed = LiveFeed(base_url="http://127.0.0.1:9")  # nothing calls Vigie back in this test
    environment = feed.start_platforms()
    settings.FRESHDESK_API_URL = environment["VIGIE_FRESHDESK_API_URL"]
    yield feed
    feed.stop()


def test_with_the_local_freshdesk_the_demo_shows_tickets_one_resolved(live, settings):
    call_command("demo", "--no-serve", "--no-live")  # data and users; tasks staged without Freshdesk…
    Task.objects.all().delete()  # …so stage them again, Freshdesk connected as `vigie demo` does
    live.connect_freshdesk()
    demo.stage(live.freshdesk)
    tickets = list(HelpdeskTicket.objects.order_by("pk"))
    assert len(tickets) == 3 and all(t.freshdesk_id for t in tickets)
    assert sorted(live.freshdesk.created) == sorted(t.freshdesk_id for t in tickets)
    assert [t.status for t in tickets] == [2, 4, 2]
    assert tickets[1].task.status == Task.Status.DONE and "résolu dans Freshdesk" in tickets[1].task.outcome
