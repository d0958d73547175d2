from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from vigie.audit.models import AuditEvent
from vigie.connectors import registry
from vigie.connectors.base import ActionResult, Capability
from vigie.inbox import actions
from vigie.inbox.models import Message
from vigie.ingestion.models import Channel
from vigie.lib.http import ConnectorError, RetryLater
from vigie.moderation import outbox
from vigie.moderation.models import PlatformAction

pytestmark = pytest.mark.django_db


class FakePlatform:
    """A connector whose platform keeps what it was asked to do, and fails on demand."""

    platform = "facebook"
    capabilities = {"reply": Capability(True)}

    def __init__(self):
        self.replies: dict[str, str] = {}  # dedup key → platform id
        self.calls = 0
        self.failures: list[Exception] = []

    def parse(self, body):
        return []

    def execute(self, channel, request):
        self.calls += 1
        if self.failures:
            raise self.failures.pop(0)
        platform_id = f"reply-{len(self.replies) + 1}"
        self.replies[request.dedup_key] = platform_id
        return ActionResult(platform_id=platform_id)

    def find_done(self, channel, request):
        platform_id = self.replies.get(request.dedup_key)
        return ActionResult(platform_id=platform_id) if platform_id else None


@pytest.fixture
def fake(monkeypatch):
    connector = FakePlatform()
    monkeypatch.setitem(registry.CONNECTORS, "facebook", connector)
    return connector


@pytest.fixture
def queued(ingest, cm):
    question = ingest(1)
    Channel.objects.update(status=Channel.Status.CONNECTED)
    actions.compose_reply(question.thread, "Bonjour, les dates sont sur le site.", by=cm, in_reply_to=question)
    return PlatformAction.objects.get()


def test_a_reply_is_sent_once_and_recorded(fake, queued):
    outbox.run(queued.pk)
    outbox.run(queued.pk)
    queued.refresh_from_db()
    assert queued.status == PlatformAction.Status.DONE and queued.platform_result_id == "reply-1"
    assert fake.calls == 1
    reply = Message.objects.get(kind="reply")
    assert reply.delivery == Message.Delivery.SENT and reply.external_id == "reply-1"
    assert AuditEvent.objects.filter(verb="platform_action.done").count() == 1


def test_without_a_connector_the_action_waits_in_the_outbox(queued, monkeypatch):
    monkeypatch.delitem(registry.CONNECTORS, "facebook", raising=False)
    assert outbox.run(queued.pk) is None
    queued.refresh_from_db()
    assert queued.status == PlatformAction.Status.PENDING and queued.attempts == 0


def test_on_a_channel_not_connected_the_action_waits(fake, queued):
    Channel.objects.update(status=Channel.Status.TO_RECONNECT)
    assert outbox.run(queued.pk) is None
    assert fake.calls == 0


def test_a_rate_limit_waits_at_least_what_the_platform_asked(fake, queued):
    fake.failures = [RetryLater("429", retry_after=120)]
    outbox.run(queued.pk)
    queued.refresh_from_db()
    assert queued.status == PlatformAction.Status.PENDING
    assert queued.next_attempt_at >= timezone.now() + timedelta(seconds=110)
    assert outbox.run(queued.pk) is None  # not due yet
    with time_machine.travel(timezone.now() + timedelta(minutes=3)):
        assert queued.pk in outbox.due_ids()
        outbox.run(queued.pk)
    queued.refresh_from_db()
    assert queued.status == PlatformAction.Status.DONE and fake.calls == 2


def test_an_expired_token_fails_at_once_and_the_channel_asks_to_reconnect(fake, queued):
    fake.failures = [ConnectorError("Jeton expiré (code 190)", reconnect=True)]
    outbox.run(queued.pk)
    queued.refresh_from_db()
    assert queued.status == PlatformAction.Status.FAILED and "190" in queued.error
    assert Channel.objects.get().status == Channel.Status.TO_RECONNECT
    assert Message.objects.get(kind="reply").delivery == Message.Delivery.FAILED
    assert queued.pk not in outbox.due_ids()


def test_temporary_errors_are_retried_then_given_up(fake, queued):
    fake.failures = [ConnectorError("erreur 500")] * outbox.MAX_ATTEMPTS
    moment = timezone.now()
    for _ in range(outbox.MAX_ATTEMPTS):
        moment += timedelta(hours=2)
        with time_machine.travel(moment):
            outbox.run(queued.pk)
    queued.refresh_from_db()
    assert queued.status == PlatformAction.Status.FAILED and "abandon" in queued.error
    assert fake.calls == outbox.MAX_ATTEMPTS


def test_a_worker_dying_between_the_platform_call_and_the_record_does_not_send_twice(fake, queued, monkeypatch):
    def die(*args):
        raise SystemExit("worker killed")

    complete = outbox._complete
    monkeypatch.setattr(outbox, "_complete", die)
    with pytest.raises(SystemExit):
        outbox.run(queued.pk)
    monkeypatch.setattr(outbox, "_complete", complete)
    queued.refresh_from_db()
    assert queued.status == PlatformAction.Status.RUNNING
    assert outbox.run(queued.pk) is None  # its lease still holds
    with time_machine.travel(timezone.now() + outbox.LEASE + timedelta(seconds=1)):
        assert queued.pk in outbox.due_ids()
        outbox.run(queued.pk)
    queued.refresh_from_db()
    assert queued.status == PlatformAction.Status.DONE and queued.platform_result_id == "reply-1"
    assert fake.calls == 1 and len(fake.replies) == 1


def test_an_admin_retries_a_failed_action(fake, queued, personas):
    fake.failures = [ConnectorError("refusé", permanent=True)]
    outbox.run(queued.pk)
    outbox.retry_failed(PlatformAction.objects.get(), by=personas["admin"])
    outbox.run(queued.pk)
    queued.refresh_from_db()
    assert queued.status == PlatformAction.Status.DONE
    assert AuditEvent.objects.filter(verb="platform_action.retried").exists()


def test_failed_actions_are_listed_for_admins_with_a_retry_button(client, fake, queued, personas):
    fake.failures = [ConnectorError("Commentaire introuvable (code 100)", permanent=True)]
    outbox.run(queued.pk)
    client.force_login(personas["admin"])
    page = client.get("/envois/").content.decode()
    assert "Commentaire introuvable (code 100)" in page and "Relancer" in page
    client.post(f"/envois/{queued.pk}/relancer")
    queued.refresh_from_db()
    assert queued.status in (PlatformAction.Status.PENDING, PlatformAction.Status.DONE)
