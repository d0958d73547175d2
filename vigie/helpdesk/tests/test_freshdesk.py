"""Complex requests followed in Freshdesk: tickets through the outbox (exactly once), statuses back by
webhook and by polling, Freshdesk's errors and rate limits. Against the local Freshdesk."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from vigie.helpdesk import service, sync
from vigie.helpdesk.models import HelpdeskTicket, Task
from vigie.helpdesk.tests.conftest import WEBHOOK_SECRET
from vigie.ingestion.models import Channel
from vigie.moderation import outbox
from vigie.moderation.models import PlatformAction

pytestmark = pytest.mark.django_db


def start(item, cm):
    due_on = service.default_due()
    text, _ = service.holding_text(item, due_on)
    return service.start_complex_request(item, text=text, owner=cm, due_on=due_on, by=cm)


def run(action):
    outbox.run(action.pk)
    action.refresh_from_db()
    return action


@pytest.fixture
def ticketed(freshdesk, complex_item, cm):
    """A complex request whose ticket Freshdesk created (the outbox ran once)."""
    task = start(complex_item, cm)
    run(task.ticket.create_action)
    task.ticket.refresh_from_db()
    return task


def test_the_ticket_says_who_asked_what_with_a_link_back_to_vigie(ticketed, fake_freshdesk, complex_item, settings):
    [created] = fake_freshdesk.created
    ticket = fake_freshdesk.tickets[created].as_json()
    fields = fake_freshdesk.tickets[created].fields
    assert fields["unique_external_id"] == "facebook:psid-4242" and fields["name"] == "Chloé Rousseau"
    assert ticket["subject"] == "Demande complexe de Chloé Rousseau (Facebook)"
    assert "faire valider mes acquis (VAE)" in ticket["description"]
    assert f"{settings.VIGIE_BASE_URL}/boite/element/{complex_item.pk}" in ticket["description"] or (
        reverse("inbox:item", args=[complex_item.pk]) in ticket["description"]
    )
    assert ticket["priority"] in (2, 3, 4) and ticket["status"] == 2
    assert {"vigie", "facebook", "demande-complexe", f"vigie-ticket-{ticketed.ticket.pk}"} <= set(ticket["tags"])
    assert ticketed.ticket.freshdesk_id == created and ticketed.ticket.url.endswith(f"/a/tickets/{created}")


def test_the_ticket_number_is_on_the_item_timeline(ticketed, client, cm, complex_item):
    client.force_login(cm)
    page = client.get(reverse("inbox:item", args=[complex_item.pk])).content.decode()
    number = ticketed.ticket.freshdesk_id
    assert f"Ticket Freshdesk n° {number} créé" in page and f"/a/tickets/{number}" in page
    assert "Réponse d&#x27;attente envoyée" in page or "Réponse d'attente envoyée" in page


def test_a_429_then_success_creates_the_ticket_once(freshdesk, fake_freshdesk, complex_item, cm):
    fake_freshdesk.retry_after = "30"  # longer than a worker waits: the outbox comes back later
    fake_freshdesk.throttle_next = 1
    task = start(complex_item, cm)
    action = run(task.ticket.create_action)
    assert action.status == PlatformAction.Status.PENDING and "429" in action.error
    assert action.next_attempt_at >= timezone.now() + timedelta(seconds=29)
    assert fake_freshdesk.created == []
    with time_machine.travel(action.next_attempt_at + timedelta(seconds=1)):
        assert action.pk in outbox.due_ids()
        action = run(action)
    assert action.status == PlatformAction.Status.DONE and len(fake_freshdesk.created) == 1
    assert HelpdeskTicket.objects.get().freshdesk_id == fake_freshdesk.created[0]


def test_the_worker_killed_after_freshdesk_created_the_ticket_makes_no_second_one(
    freshdesk, fake_freshdesk, complex_item, cm, monkeypatch
):
    task = start(complex_item, cm)
    action = task.ticket.create_action

    def die(*args):
        raise SystemExit("worker killed")

    complete = outbox._complete
    monkeypatch.setattr(outbox, "_complete", die)
    with pytest.raises(SystemExit):
        outbox.run(action.pk)
    monkeypatch.setattr(outbox, "_complete", complete)
    assert len(fake_freshdesk.created) == 1 and HelpdeskTicket.objects.get().freshdesk_id is None
    with time_machine.travel(timezone.now() + outbox.LEASE + timedelta(seconds=1)):
        action = run(action)
    assert action.status == PlatformAction.Status.DONE
    assert len(fake_freshdesk.created) == 1  # found again by its tag, not created twice
    assert HelpdeskTicket.objects.get().freshdesk_id == fake_freshdesk.created[0]


def test_an_answer_lost_after_creation_is_found_again_on_the_next_attempt(freshdesk, fake_freshdesk, complex_item, cm):
    fake_freshdesk.fail_after_create = True  # created, then a 500: Vigie cannot know
    task = start(complex_item, cm)
    action = run(task.ticket.create_action)
    assert action.status == PlatformAction.Status.PENDING
    fake_freshdesk.fail_after_create = False
    with time_machine.travel(action.next_attempt_at + timedelta(seconds=1)):
        action = run(action)
    assert action.status == PlatformAction.Status.DONE and len(fake_freshdesk.created) == 1


def test_a_refused_api_key_asks_to_reconnect_and_keeps_the_task(freshdesk, fake_freshdesk, complex_item, cm):
    fake_freshdesk.api_key = "une-autre-cle"
    task = start(complex_item, cm)
    action = run(task.ticket.create_action)
    freshdesk.refresh_from_db()
    assert action.status == PlatformAction.Status.FAILED and "reconnectez Freshdesk" in action.error
    assert freshdesk.status == Channel.Status.TO_RECONNECT
    task.refresh_from_db()
    assert task.status == Task.Status.OPEN and "invalid_credentials" in task.ticket.error


def test_a_403_also_asks_to_reconnect(freshdesk, fake_freshdesk, complex_item, cm):
    fake_freshdesk.faults.expired_token = True  # Freshdesk's access_denied
    action = run(start(complex_item, cm).ticket.create_action)
    freshdesk.refresh_from_db()
    assert "access_denied" in action.error and freshdesk.status == Channel.Status.TO_RECONNECT


def test_a_refused_field_is_a_clear_error_on_the_item(freshdesk, fake_freshdesk, complex_item, cm, client):
    task = start(complex_item, cm)
    action = task.ticket.create_action
    action.result["options"]["ticket"]["priorty"] = 2  # a typo in what we send
    action.save()
    action = run(action)
    assert action.status == PlatformAction.Status.FAILED
    assert "priorty : champ inconnu" in action.error and len(fake_freshdesk.created) == 0
    client.force_login(cm)
    page = client.get(reverse("inbox:item", args=[complex_item.pk])).content.decode()
    assert "Ticket Freshdesk non créé" in page and "Freshdesk a refusé la demande (400)" in page
    assert Channel.objects.get(platform="freshdesk").status == Channel.Status.CONNECTED


def test_closing_the_task_resolves_the_ticket_with_the_outcome_as_a_private_note(ticketed, fake_freshdesk, cm):
    service.close_task(ticketed, outcome="Report accepté, VAE en janvier", by=cm)
    for action in PlatformAction.objects.filter(verb__in=["ticket_note", "resolve_ticket"]):
        assert run(action).status == PlatformAction.Status.DONE
    ticket = fake_freshdesk.tickets[ticketed.ticket.freshdesk_id]
    assert ticket.fields["status"] == 4
    [note] = ticket.conversations
    assert note["private"] is True and "Report accepté, VAE en janvier" in note["body"]
    ticketed.ticket.refresh_from_db()
    assert ticketed.ticket.status == HelpdeskTicket.Status.RESOLVED


def test_a_task_closed_before_freshdesk_answered_resolves_the_ticket_once_created(
    freshdesk, fake_freshdesk, complex_item, cm
):
    task = start(complex_item, cm)
    service.close_task(task, outcome="Réglé par téléphone", by=cm)
    assert not PlatformAction.objects.filter(verb="resolve_ticket").exists()
    run(task.ticket.create_action)
    for action in PlatformAction.objects.filter(verb__in=["ticket_note", "resolve_ticket"]):
        run(action)
    assert fake_freshdesk.tickets[fake_freshdesk.created[0]].fields["status"] == 4


def test_a_ticket_resolved_in_freshdesk_closes_the_task_at_the_next_poll(ticketed, fake_freshdesk, freshdesk):
    assert sync.poll(freshdesk.pk) == 0
    fake_freshdesk.resolve(ticketed.ticket.freshdesk_id)
    assert sync.poll(freshdesk.pk) == 1
    ticketed.refresh_from_db()
    assert ticketed.status == Task.Status.DONE and ticketed.closed_by is None
    assert ticketed.outcome == f"Ticket Freshdesk n° {ticketed.ticket.freshdesk_id} résolu dans Freshdesk"
    assert sync.poll(freshdesk.pk) == 0  # nothing left to follow: no call
    freshdesk.refresh_from_db()
    assert "updated_since" in freshdesk.poll_cursor and freshdesk.last_error == ""


def test_a_rate_limited_poll_pauses_until_retry_after(ticketed, fake_freshdesk, freshdesk):
    fake_freshdesk.retry_after = "120"
    fake_freshdesk.throttle_next = 1
    fake_freshdesk.resolve(ticketed.ticket.freshdesk_id)
    assert sync.poll(freshdesk.pk) == 0
    freshdesk.refresh_from_db()
    assert "retry_at" in freshdesk.poll_cursor and "429" in freshdesk.last_error
    assert sync.poll(freshdesk.pk) == 0  # paused: no call
    with time_machine.travel(timezone.now() + timedelta(seconds=121)):
        assert sync.poll(freshdesk.pk) == 1


def post_webhook(client, body, secret=WEBHOOK_SECRET):
    return client.post(
        reverse("webhook-freshdesk"), body, content_type="application/json", headers={"X-Vigie-Secret": secret}
    )


def test_the_webhook_closes_the_task_when_freshdesk_resolves_the_ticket(ticketed, fake_freshdesk, client):
    fake_freshdesk.resolve(ticketed.ticket.freshdesk_id)
    body = {"freshdesk_webhook": {"ticket_id": str(ticketed.ticket.freshdesk_id), "ticket_status": "Resolved"}}
    assert post_webhook(client, body).status_code == 202
    ticketed.refresh_from_db()
    assert ticketed.status == Task.Status.DONE
    assert ticketed.ticket.status == HelpdeskTicket.Status.RESOLVED


def test_the_webhook_does_not_trust_the_status_it_is_told(ticketed, client):
    body = {"ticket_id": ticketed.ticket.freshdesk_id, "ticket_status": "Resolved"}  # not resolved in Freshdesk
    assert post_webhook(client, body).status_code == 202
    ticketed.refresh_from_db()
    assert ticketed.status == Task.Status.OPEN


@pytest.mark.parametrize("secret", ["", "mauvais-secret", WEBHOOK_SECRET + "x"])
def test_the_webhook_refuses_a_wrong_secret(ticketed, fake_freshdesk, client, secret):
    fake_freshdesk.resolve(ticketed.ticket.freshdesk_id)
    assert post_webhook(client, {"ticket_id": ticketed.ticket.freshdesk_id}, secret).status_code == 403
    ticketed.refresh_from_db()
    assert ticketed.status == Task.Status.OPEN


@pytest.mark.parametrize("body", [b"pas du json", b"[]", b'{"ticket_id": "abc"}', b'{"ticket_id": -3}', b"{}"])
def test_the_webhook_answers_400_to_a_body_without_a_ticket(freshdesk, client, body):
    response = client.post(
        reverse("webhook-freshdesk"), body, content_type="application/json", headers={"X-Vigie-Secret": WEBHOOK_SECRET}
    )
    assert response.status_code == 400


def test_the_webhook_only_takes_posts(freshdesk, client):
    assert client.get(reverse("webhook-freshdesk")).status_code == 405


def test_without_freshdesk_the_webhook_refuses_everything(db, client):
    assert post_webhook(client, {"ticket_id": 1}).status_code == 403


def test_the_per_minute_polling_job_reaches_freshdesk(ticketed, fake_freshdesk):
    from vigie.connectors import tasks as polling_tasks

    fake_freshdesk.resolve(ticketed.ticket.freshdesk_id, notify=False)
    polling_tasks.poll_connected_channels.call_local()
    ticketed.refresh_from_db()
    assert ticketed.status == Task.Status.DONE


def test_a_failed_ticket_is_listed_for_admins_and_retried_once_fixed(freshdesk, fake_freshdesk, complex_item, cm,
                                                                       client, personas):  # fmt: skip
    fake_freshdesk.api_key = "une-autre-cle"
    task = start(complex_item, cm)
    run(task.ticket.create_action)
    client.force_login(personas["admin"])
    page = client.get(reverse("moderation:outbox")).content.decode()
    assert "Créer le ticket" in page and "reconnectez Freshdesk" in page
    fake_freshdesk.api_key = "fake-freshdesk-api-key"
    Channel.objects.filter(pk=freshdesk.pk).update(status=Channel.Status.CONNECTED)
    client.post(reverse("moderation:retry", args=[task.ticket.create_action.pk]))
    run(task.ticket.create_action)
    task.ticket.refresh_from_db()
    assert task.ticket.freshdesk_id == fake_freshdesk.created[0] and task.ticket.error == ""
