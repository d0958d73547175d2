"""The retention job: a dry run first (nothing changes, counts recorded), then the real run; legal holds
(an admin's hold, an open platform report, an open crisis through the hook) are respected."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction

from vigie.audit.models import AuditEvent
from vigie.audit.record import record
from vigie.inbox import actions
from vigie.inbox.evidence import capture
from vigie.inbox.models import Author, Message
from vigie.moderation.models import Evidence
from vigie.notifications.models import Notification
from vigie.records import holds, registers, retention
from vigie.records.models import LegalHold, RetentionPolicy, RetentionRun

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2030, 6, 1, 4, 0, tzinfo=PARIS)
OLD = datetime(2026, 1, 10, 10, 0, tzinfo=PARIS)  # more than 3 years before NOW
RECENT = datetime(2029, 1, 10, 10, 0, tzinfo=PARIS)


@pytest.fixture
def old_and_recent(ingest, personas):
    """An old finished comment with our reply and evidence, an old one still open, a recent one."""
    cm = personas["community_manager"]
    old = ingest(1, created_at=OLD, author_name="Jeanne Martin", text="Bonjour, le tarif ?")
    actions.compose_reply(old.thread, "Bonjour Jeanne, voici le tarif.", by=cm, in_reply_to=old)
    with transaction.atomic():
        capture(old, by=cm)
    still_open = ingest(2, created_at=OLD, author_name="Luc Petit")
    recent = ingest(3, created_at=RECENT, author_name="Nora Haddad")
    actions.change_status(recent.item, "done", by=cm)
    return {"old": old, "open": still_open, "recent": recent}


def test_defaults_are_the_ones_a_french_organisation_would_defend():
    found = retention.policies()
    assert found["messages"].days == 1095 and found["messages"].mode == "anonymise"
    assert "CNIL" in found["messages"].justification
    assert found["evidence"].days == 6 * 365 and found["notifications"].days == 365 and found["audit"].days == 5 * 365


def test_a_dry_run_changes_nothing_and_records_what_it_would_do(old_and_recent):
    run = retention.run(dry_run=True, now=NOW)
    assert run.counts["messages"] == {"authors": 1, "messages": 1, "held": 0}
    assert Message.objects.get(pk=old_and_recent["old"].pk).text == "Bonjour, le tarif ?"
    assert Author.objects.filter(display_name="Jeanne Martin").exists()
    event = AuditEvent.objects.get(verb="retention.dry_run")
    assert event.summary.startswith("Simulation de la conservation : 1 auteur et 1 message anonymisés")


def test_the_summary_writes_french_plurals():
    counts = {
        "messages": {"authors": 2, "messages": 1, "held": 0},
        "evidence": {"deleted": 1, "held": 1},
        "notifications": {"deleted": 0},
        "audit": {"deleted": 3, "held": 1},
    }
    assert retention.summary(counts) == (
        "2 auteurs et 1 message anonymisés, 1 preuve supprimée, 0 notification supprimée, "
        "3 événements d'audit supprimés ; 2 gardés par une conservation légale"
    )
    assert retention.summary({"notifications": {"deleted": 2}, "audit": {"held": 1}}) == (
        "0 auteur et 0 message anonymisés, 0 preuve supprimée, 2 notifications supprimées, "
        "0 événement d'audit supprimé ; 1 gardé par une conservation légale"
    )


def test_the_real_run_anonymises_finished_old_items_only(old_and_recent):
    retention.run(dry_run=False, now=NOW)
    old = Message.objects.get(pk=old_and_recent["old"].pk)
    assert old.text == "" and old.author.display_name == retention.ANONYMOUS
    assert old.author.external_id == f"anonyme-{old.author_id}"
    assert Message.objects.get(parent=old, kind="reply").text == ""  # our reply greeted her by name
    assert Message.objects.get(pk=old_and_recent["open"].pk).author.display_name == "Luc Petit"  # item still open
    assert Message.objects.get(pk=old_and_recent["recent"].pk).author.display_name == "Nora Haddad"
    assert Evidence.objects.count() == 1  # evidence has its own, longer, retention
    again = retention.run(dry_run=False, now=NOW)
    assert again.counts["messages"]["authors"] == 0  # nothing twice


def test_linked_identities_count_as_one_person(old_and_recent, ingest, personas):
    linkedin = ingest(
        4,
        platform="linkedin",
        channel_external_id="urn:li:organization:1",
        created_at=RECENT,
        author_external_id="author-1",
        author_name="Jeanne Martin",
    )
    actions.change_status(linkedin.item, "done", by=personas["admin"])
    actions.link_identities([old_and_recent["old"].author, linkedin.author], by=personas["admin"])
    run = retention.run(dry_run=False, now=NOW)
    assert run.counts["messages"]["authors"] == 0  # her last contact, on LinkedIn, is recent


def test_a_legal_hold_is_respected(old_and_recent, personas):
    old = old_and_recent["old"]
    LegalHold.objects.create(author=old.author, reason="Plainte déposée", created_by=personas["admin"])
    run = retention.run(dry_run=False, now=NOW + timedelta(days=6 * 365))
    assert run.counts["messages"] == {"authors": 1, "messages": 1, "held": 1}  # Nora's time is up too, not held
    assert run.counts["evidence"] == {"deleted": 0, "held": 1}
    assert Message.objects.get(pk=old.pk).text == "Bonjour, le tarif ?" and Evidence.objects.count() == 1


def test_an_open_report_to_the_platform_holds_the_message_and_its_evidence(old_and_recent, personas):
    report = registers.record_report(old_and_recent["old"], by=personas["community_manager"], reference="FB-1")
    later = NOW + timedelta(days=6 * 365)
    assert retention.run(dry_run=False, now=later).counts["evidence"] == {"deleted": 0, "held": 1}
    report.closed = True
    report.save()
    assert retention.run(dry_run=False, now=later).counts["evidence"] == {"deleted": 1, "held": 0}
    assert Evidence.objects.count() == 0


def test_an_open_crisis_holds_its_messages_through_the_hook(old_and_recent):
    held = {old_and_recent["old"].pk}
    provider = holds.register(lambda: held)
    try:
        run = retention.run(dry_run=False, now=NOW)
    finally:
        holds.unregister(provider)
    assert run.counts["messages"]["held"] == 1
    assert Message.objects.get(pk=old_and_recent["old"].pk).text == "Bonjour, le tarif ?"


def test_an_open_crisis_holds_its_messages_evidence_and_authors_until_it_is_closed(old_and_recent, personas):
    """The crisis app registers its hold (vigie/crisis/holds.py): nothing to wire in the test."""
    from vigie.crisis import actions as crisis_actions
    from vigie.crisis import detection, service

    old = old_and_recent["old"]
    crisis = service.open_crisis(detection.Signal(detection.STAFF_ATTACK, old.created_at, "facebook", old.created_at,
                                                  (service.observation(old),), "attaque"))  # fmt: skip
    later = NOW + timedelta(days=6 * 365)  # the message's and the evidence's time are both up
    dry = retention.run(dry_run=True, now=later)
    assert dry.counts["messages"]["held"] == 1 and dry.counts["evidence"] == {"deleted": 0, "held": 1}
    applied = retention.run(dry_run=False, now=later)
    assert applied.counts["messages"]["held"] == 1 and applied.counts["evidence"] == {"deleted": 0, "held": 1}
    old.refresh_from_db()
    assert old.text == "Bonjour, le tarif ?" and old.author.display_name == "Jeanne Martin"
    assert Evidence.objects.filter(message=old).count() == 1

    crisis_actions.close(crisis, by=personas["direction"], what_happened="a", what_worked="b", to_change="c")
    released = retention.run(dry_run=False, now=later)
    assert released.counts["messages"]["held"] == 0 and released.counts["evidence"] == {"deleted": 1, "held": 0}
    old.refresh_from_db()
    assert old.text == "" and old.author.display_name == retention.ANONYMOUS


def test_old_notifications_and_audit_events_go(old_and_recent, personas):
    Notification.objects.create(recipient=personas["admin"], title="Ancienne")
    Notification.objects.filter(title="Ancienne").update(created_at=NOW - timedelta(days=400))
    with transaction.atomic():
        record(personas["admin"], "test.old", personas["admin"], summary="ancien")
    old_pk = AuditEvent.objects.get(verb="test.old").pk
    from django.db import connection  # the audit log refuses updates: its date is moved by SQL

    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET created_at = %s WHERE id = %s", [NOW - timedelta(days=6 * 365), old_pk]
        )
    run = retention.run(dry_run=False, now=NOW)
    assert run.counts["notifications"]["deleted"] == 1 and run.counts["audit"]["deleted"] == 1
    assert not AuditEvent.objects.filter(pk=old_pk).exists()
    assert AuditEvent.objects.filter(verb="retention.applied").exists()


def test_the_daily_job_simulates_a_changed_policy_before_applying_it(old_and_recent, personas):
    first = retention.daily(now=NOW)
    assert first.dry_run  # never run before: a simulation
    second = retention.daily(now=NOW)
    assert not second.dry_run and Message.objects.get(pk=old_and_recent["old"].pk).text == ""
    policy = RetentionPolicy.objects.get(kind="messages")
    retention.set_policy(policy, by=personas["admin"], days=400, justification="Plus court")
    assert retention.daily(now=NOW).dry_run
    assert AuditEvent.objects.filter(verb="retention.policy_changed").count() == 1
    assert RetentionRun.objects.count() == 3


def test_the_periodic_task_runs_the_daily_job(old_and_recent):
    from vigie.records.tasks import apply_retention

    apply_retention.call_local()
    assert RetentionRun.objects.get().dry_run
