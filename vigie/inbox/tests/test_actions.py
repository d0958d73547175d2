import pytest
from django.db import transaction
from django.utils import timezone

from vigie.audit.models import AuditEvent
from vigie.conftest import T0, normalized
from vigie.inbox import actions
from vigie.inbox.models import Author, Item, Message, MessageVersion, Thread
from vigie.inbox.status import Status, TransitionNotAllowed
from vigie.moderation.models import PlatformAction
from vigie.vocabulary import Priority

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


def test_a_stand_in_name_names_a_new_author_and_never_replaces_a_known_name(ingest):
    """LinkedIn embeds no name: its connector gives a stand-in (« Membre LinkedIn D1gNEt »)."""
    known, unknown = "urn:li:person:D1gNEte60N", "urn:li:person:Ylpq-RobP9"
    ingest(1, author_external_id=known, author_name="Yves Lambert")  # from an import
    ingest(2, author_external_id=known, author_name="Membre LinkedIn D1gNEt", author_name_known=False)
    ingest(3, author_external_id=unknown, author_name="Membre LinkedIn Ylpq-R", author_name_known=False)
    assert dict(Author.objects.values_list("external_id", "display_name")) == {
        "urn:li:person:D1gNEte60N": "Yves Lambert", "urn:li:person:Ylpq-RobP9": "Membre LinkedIn Ylpq-R",
    }  # fmt: skip


def test_the_thread_shows_its_latest_message(ingest):
    ingest(2)
    ingest(1)
    thread = Thread.objects.get()
    assert thread.last_message.external_id.endswith("_2")
    assert thread.created_at == T0.replace(minute=1)


def test_each_comment_is_an_item_of_its_own(ingest):
    first, second = ingest(1), ingest(2)
    assert first.item != second.item
    assert first.item.message == first and first.item.status == Status.NEW
    assert Thread.objects.get().open_items == 2


def test_a_private_conversation_is_one_item_that_follows_its_latest_message(ingest):
    first = ingest(1, kind="private_message", external_id="m_1", thread_external_id="t_1", post=None)
    second = ingest(2, kind="private_message", external_id="m_2", thread_external_id="t_1", post=None)
    item = Item.objects.get()
    assert first.item == second.item == item
    assert item.message == second and item.priority == Priority.HIGH


def test_a_late_older_private_message_does_not_take_the_conversation_back(ingest):
    ingest(2, kind="private_message", external_id="m_2", thread_external_id="t_1", post=None)
    ingest(1, kind="private_message", external_id="m_1", thread_external_id="t_1", post=None)
    assert Item.objects.get().message.external_id == "m_2"


def test_a_new_private_message_brings_a_done_conversation_back_to_the_desk(ingest, cm):
    first = ingest(1, kind="private_message", external_id="m_1", thread_external_id="t_1", post=None)
    actions.change_status(first.item, Status.DONE, by=cm)
    ingest(2, kind="private_message", external_id="m_2", thread_external_id="t_1", post=None)
    assert Item.objects.get().status == Status.NEW
    assert Thread.objects.get().status == Status.NEW
    assert AuditEvent.objects.filter(verb="item.reopened", actor=None).exists()


def test_a_new_comment_leaves_the_done_comments_of_its_post_done(ingest, cm):
    first = ingest(1)
    actions.change_status(first.item, Status.DONE, by=cm)
    second = ingest(2)
    first.item.refresh_from_db()
    assert first.item.status == Status.DONE and second.item.status == Status.NEW
    thread = Thread.objects.get()
    assert thread.status == Status.NEW and thread.open_items == 1


def test_marking_one_comment_done_leaves_the_others_to_do(ingest, cm):
    first, second = ingest(1), ingest(2)
    actions.change_status(first.item, Status.DONE, by=cm)
    second.item.refresh_from_db()
    assert second.item.status == Status.NEW
    assert Thread.objects.get().open_items == 1


def test_a_thread_is_done_when_all_its_items_are(ingest, cm):
    items = [ingest(n).item for n in (1, 2)]
    for item in items:
        actions.change_status(item, Status.DONE, by=cm)
    thread = Thread.objects.get()
    assert thread.status == Status.DONE and thread.open_items == 0


def test_assigning_is_audited_with_names_before_and_after(ingest, cm):
    item = ingest(1).item
    actions.assign(item, cm, by=cm)
    event = AuditEvent.objects.get(verb="item.assigned")
    assert event.actor == cm and event.before == {"assignee": None}
    assert event.after == {"assignee": cm.get_full_name() or cm.username}
    assert Thread.objects.get().assignee == cm  # its only open item is hers


def test_assigning_to_the_same_person_twice_records_once(ingest, cm):
    item = ingest(1).item
    actions.assign(item, cm, by=cm)
    actions.assign(item, cm, by=cm)
    assert AuditEvent.objects.filter(verb="item.assigned").count() == 1


def test_a_status_change_outside_the_table_is_refused_and_not_recorded(ingest, cm):
    item = actions.change_status(ingest(1).item, Status.CLOSED, by=cm)
    with pytest.raises(TransitionNotAllowed):
        actions.change_status(item, Status.DONE, by=cm)
    assert Item.objects.get().status == Status.CLOSED
    assert AuditEvent.objects.filter(verb="item.status_changed").count() == 1


def test_the_audit_event_is_rolled_back_with_the_change(ingest, cm):
    item = ingest(1).item
    with pytest.raises(RuntimeError), transaction.atomic():
        actions.assign(item, cm, by=cm)
        raise RuntimeError("échec après l'action")
    assert not AuditEvent.objects.exists()
    assert Item.objects.get().assignee is None


def test_an_empty_note_is_refused(ingest, cm):
    with pytest.raises(actions.ActionError, match="vide"):
        actions.add_note(ingest(1).item, "   ", by=cm)


def test_bulk_marks_the_selection_done_in_one_gesture_each_audited(ingest, cm):
    items = [ingest(n).item for n in range(1, 16)]
    changed = actions.bulk_update(items, by=cm, status=Status.DONE)
    assert changed == 15
    assert not Item.objects.exclude(status=Status.DONE).exists()
    assert AuditEvent.objects.filter(verb="item.status_changed", actor=cm).count() == 15
    assert Thread.objects.get().open_items == 0


def test_bulk_leaves_an_item_whose_status_cannot_change_and_counts_it_out(ingest, cm):
    closed = actions.change_status(ingest(1).item, Status.CLOSED, by=cm)
    fresh = ingest(2).item
    assert actions.bulk_update([closed, fresh], by=cm, status=Status.DONE) == 1
    closed.refresh_from_db()
    assert closed.status == Status.CLOSED


def test_bulk_assigns_and_unassigns(ingest, cm):
    items = [ingest(n).item for n in (1, 2)]
    assert actions.bulk_update(items, by=cm, assignee=cm) == 2
    assert set(Item.objects.values_list("assignee", flat=True)) == {cm.pk}
    assert actions.bulk_update(items, by=cm, unassign=True) == 2
    assert set(Item.objects.values_list("assignee", flat=True)) == {None}


def test_replying_to_a_comment_marks_its_item_done(ingest, cm):
    question = ingest(1)
    actions.compose_reply(question.thread, "Bonjour, tout est en ligne.", by=cm, in_reply_to=question)
    question.item.refresh_from_db()
    assert question.item.status == Status.DONE


def test_replying_in_a_conversation_leaves_it_waiting_for_the_person(ingest, cm):
    message = ingest(1, kind="private_message", external_id="m_1", thread_external_id="t_1", post=None,
                     created_at=timezone.now())  # fmt: skip
    reply = actions.compose_reply(message.thread, "Bonjour, je regarde.", by=cm)
    assert reply.item == message.item
    message.item.refresh_from_db()
    assert message.item.status == Status.WAITING


def test_a_sensitive_reply_keeps_the_item_waiting_until_approved(ingest, cm, personas):
    question = ingest(1)
    reply = actions.compose_reply(question.thread, "Réponse délicate", by=cm, in_reply_to=question, sensitive=True)
    question.item.refresh_from_db()
    assert question.item.status == Status.WAITING
    actions.approve_reply(reply, by=personas["communication"])
    question.item.refresh_from_db()
    assert question.item.status == Status.DONE


def test_a_rejected_reply_puts_the_item_back_in_progress(ingest, cm, personas):
    question = ingest(1)
    reply = actions.compose_reply(question.thread, "Réponse délicate", by=cm, in_reply_to=question, sensitive=True)
    actions.reject_reply(reply, by=personas["communication"], reason="Trop sec")
    question.item.refresh_from_db()
    assert question.item.status == Status.IN_PROGRESS


def test_a_comment_removed_on_the_platform_leaves_nothing_to_do(ingest):
    ingest(1)
    ingest(1, removed=True, text="")
    assert Item.objects.get().status == Status.DONE
    assert Thread.objects.get().open_items == 0


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
