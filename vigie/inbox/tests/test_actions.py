import pytest
from django.db import transaction

from vigie.audit.models import AuditEvent
from vigie.conftest import T0, normalized
from vigie.inbox import actions
from vigie.inbox.models import Author, Message, MessageVersion, Thread
from vigie.inbox.status import Status, TransitionNotAllowed
from vigie.moderation.models import PlatformAction

pytestmark = pytest.mark.django_db


def test_the_same_message_twice_is_one_row(ingest):
    ingest(1)
    ingest(1)
    assert Message.objects.count() == 1
    assert Thread.objects.get().message_count == 1


def test_an_edit_updates_the_text_and_keeps_the_earlier_version(ingest):
    ingest(1, text="Premier jet")
    ingest(1, text="Texte corrigé")
    message = Message.objects.get()
    assert message.text == "Texte corrigé" and message.edited
    assert list(MessageVersion.objects.values_list("text", flat=True)) == ["Premier jet"]
    assert AuditEvent.objects.filter(verb="message.edited").count() == 1


def test_a_removal_marks_the_message_removed_and_keeps_its_text(ingest):
    ingest(1, text="Propos à retirer")
    ingest(1, removed=True, text="")
    message = Message.objects.get()
    assert message.removed
    assert MessageVersion.objects.get().text == "Propos à retirer"


def test_a_removal_that_arrives_first_is_not_undone_by_the_late_creation(ingest):
    ingest(1, removed=True, text="")
    ingest(1, text="arrivé en retard")
    message = Message.objects.get()
    assert message.removed and message.text == ""


def test_a_reply_is_linked_to_its_parent_even_when_it_arrives_first(ingest):
    ingest(2, parent_external_id="712750021053074_1")
    ingest(1)
    reply = Message.objects.get(external_id="712750021053074_2")
    assert reply.parent.external_id == "712750021053074_1"


def test_one_author_per_platform_identity_and_the_name_follows_changes(ingest):
    ingest(1, author_external_id="a", author_name="Jeanne")
    ingest(2, author_external_id="a", author_name="Jeanne Dupont")
    assert Author.objects.get().display_name == "Jeanne Dupont"


def test_the_thread_shows_its_latest_message(ingest):
    ingest(2)
    ingest(1)
    thread = Thread.objects.get()
    assert thread.last_message.external_id.endswith("_2")
    assert thread.created_at == T0.replace(minute=1)


def test_a_private_message_thread_is_high_priority(ingest):
    ingest(1, kind="private_message", external_id="m_1", thread_external_id="t_1", post=None)
    assert Thread.objects.get().priority == Thread.Priority.HIGH


def test_a_new_message_brings_a_done_thread_back_to_the_desk(ingest, cm):
    ingest(1)
    thread = actions.change_status(Thread.objects.get(), Status.DONE, by=cm)
    ingest(2)
    thread.refresh_from_db()
    assert thread.status == Status.NEW
    assert AuditEvent.objects.filter(verb="thread.reopened", actor=None).exists()


def test_assigning_is_audited_with_before_and_after(ingest, cm):
    ingest(1)
    actions.assign(Thread.objects.get(), cm, by=cm)
    event = AuditEvent.objects.get(verb="thread.assigned")
    assert event.actor == cm and event.before == {"assignee": None} and event.after == {"assignee": cm.username}


def test_assigning_to_the_same_person_twice_records_once(ingest, cm):
    ingest(1)
    thread = Thread.objects.get()
    actions.assign(thread, cm, by=cm)
    actions.assign(thread, cm, by=cm)
    assert AuditEvent.objects.filter(verb="thread.assigned").count() == 1


def test_a_status_change_outside_the_table_is_refused_and_not_recorded(ingest, cm):
    ingest(1)
    thread = actions.change_status(Thread.objects.get(), Status.CLOSED, by=cm)
    with pytest.raises(TransitionNotAllowed):
        actions.change_status(thread, Status.DONE, by=cm)
    assert Thread.objects.get().status == Status.CLOSED
    assert AuditEvent.objects.filter(verb="thread.status_changed").count() == 1


def test_the_audit_event_is_rolled_back_with_the_change(ingest, cm):
    ingest(1)
    thread = Thread.objects.get()
    with pytest.raises(RuntimeError), transaction.atomic():
        actions.assign(thread, cm, by=cm)
        raise RuntimeError("échec après l'action")
    assert not AuditEvent.objects.exists()
    assert Thread.objects.get().assignee is None


def test_an_empty_note_is_refused(ingest, cm):
    ingest(1)
    with pytest.raises(actions.ActionError, match="vide"):
        actions.add_note(Thread.objects.get(), "   ", by=cm)


def test_a_reply_is_an_outgoing_message_and_a_pending_platform_action(ingest, cm):
    question = ingest(1)
    reply = actions.compose_reply(question.thread, "Bonjour, les dates sont en ligne.", by=cm, in_reply_to=question)
    assert reply.kind == Message.Kind.REPLY and reply.delivery == Message.Delivery.PENDING
    action = PlatformAction.objects.get()
    assert action.status == PlatformAction.Status.PENDING and action.target_message == question
    assert action.reply_message == reply and action.requested_by == cm
    assert AuditEvent.objects.get(verb="thread.reply_queued").after["platform_action_id"] == action.pk


def test_a_reply_to_a_message_of_another_thread_is_refused(ingest, cm):
    first = ingest(1)
    other = ingest(2, thread_external_id="other", external_id="other_2")
    with pytest.raises(actions.ActionError):
        actions.compose_reply(first.thread, "Bonjour", by=cm, in_reply_to=other)


def test_audit_record_outside_a_transaction_is_a_programming_error(transactional_db, ingest):
    from vigie.audit.record import record

    message = ingest(1)
    with pytest.raises(RuntimeError, match="inside the transaction"):
        record(None, "x", message)


def test_messages_without_channel_id_go_to_the_platforms_channel(db):
    with transaction.atomic():
        first = actions.ingest(normalized(1, channel_external_id=""))
        second = actions.ingest(normalized(2, channel_external_id="", platform="linkedin"))
    assert first.channel.platform == "facebook" and second.channel.platform == "linkedin"
    assert first.channel != second.channel


def test_linking_identities_makes_one_person_and_is_audited(ingest, cm):
    first = ingest(1, author_external_id="fb-jeanne").author
    second = ingest(2, author_external_id="li-jeanne", platform="linkedin", channel_external_id="urn:li:organization:1",
                    thread_external_id="urn:li:share:1", external_id="li-2").author  # fmt: skip
    person = actions.link_identities([first, second], by=cm)
    assert set(person.authors.all()) == {first, second}
    assert AuditEvent.objects.filter(verb="author.linked").count() == 2


def test_linking_needs_two_identities(ingest, cm):
    with pytest.raises(actions.ActionError, match="deux"):
        actions.link_identities([ingest(1).author], by=cm)


def test_an_admin_links_identities_from_the_admin_site(client, ingest, personas):
    from django.contrib.auth import get_user_model

    first = ingest(1, author_external_id="fb-jeanne").author
    second = ingest(2, author_external_id="fb-jeanne-2").author
    boss = get_user_model().objects.create_superuser("boss", "boss@example.org", "x")
    client.force_login(boss)
    client.post("/admin/inbox/author/", {"action": "link", "_selected_action": [first.pk, second.pk]})
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.person_id is not None and first.person_id == second.person_id
