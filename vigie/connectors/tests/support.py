"""What the tests of every connector share: one local fake platform per test session, the real connector
in the registry, quick retries, a connected channel, and the worker dying between a call and its record.

Test support (the tests of the connectors, the helpdesk and the planning take what they need from here),
kept among the tests: it drives the outbox, which production connectors never import.
"""

import json
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from vigie.connectors import registry
from vigie.lib import http

QUICK = http.Policy(attempts=2, base_delay=0.01, max_wait=1.0)  # retries that do not slow the suite


def session_server(fake_class):
    """A session fixture: one local fake for the whole run (starting one costs half a second)."""

    @pytest.fixture(scope="session")
    def server():
        fake = fake_class()
        fake.start()
        yield fake
        fake.stop()

    return server


def registered_connector(platform: str, connector):
    """An autouse fixture: the real connector for `platform`, whatever another test left in the registry."""

    @pytest.fixture(autouse=True)
    def registered(monkeypatch):
        monkeypatch.setitem(registry.CONNECTORS, platform, connector)

    return registered


def fresh(server, monkeypatch, client_module, settings, **urls):
    """The session's fake, emptied, with Vigie pointed at it and retrying quickly."""
    server.reset()
    for name, value in urls.items():
        setattr(settings, name, value)
    monkeypatch.setattr(client_module, "POLICY", QUICK)
    return server


def connected_channel(platform: str, external_id: str, credentials: dict):
    from vigie.ingestion.models import Channel

    return Channel.objects.create(platform=platform, external_id=external_id, name="AHTMA Formation",
                                  status=Channel.Status.CONNECTED, credentials=json.dumps(credentials))  # fmt: skip


def resume_after_crash(action, monkeypatch):
    """The worker dies between the platform call and the record; the lease expires; it runs again."""
    from vigie.moderation import outbox

    def die(*args):
        raise SystemExit("worker killed")

    monkeypatch.setattr(outbox, "_complete", die)
    with pytest.raises(SystemExit):
        outbox.run(action.pk)
    monkeypatch.undo()
    with time_machine.travel(timezone.now() + outbox.LEASE + timedelta(seconds=1)):
        outbox.run(action.pk)
    action.refresh_from_db()
    return action


def retried_after_a_lost_answer(fake, action):
    """The platform carries out the call but its answer is lost (502); the outbox comes back when it said
    it would. Returns the status after the first attempt and the action after the second."""
    from vigie.moderation import outbox

    fake.faults.fail_after_acting = 1
    outbox.run(action.pk)
    action.refresh_from_db()
    first = action.status
    with time_machine.travel(action.next_attempt_at + timedelta(seconds=1)):
        outbox.run(action.pk)
    action.refresh_from_db()
    return first, action


def stored_deliveries():
    """The raw events a worker finds after the deliveries so far: on SQLite they wait in the journal
    (vigie/ingestion/journal.py) until its first step moves them, which this takes."""
    from vigie.ingestion import raw_events
    from vigie.ingestion.models import RawEvent

    raw_events.take_journal()
    return RawEvent.objects.order_by("id")
