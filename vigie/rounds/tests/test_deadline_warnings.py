"""A private message nearing its deadline raises its item's priority (audited) and tells someone, once."""

from datetime import timedelta

import pytest

from vigie.audit.models import AuditEvent
from vigie.inbox import actions
from vigie.inbox.models import Item
from vigie.notifications.models import Notification
from vigie.rounds import jobs
from vigie.vocabulary import Priority

pytestmark = pytest.mark.django_db


@pytest.fixture
def waiting(deliver):
    """A question by private message that arrived at 09:00 on 20 November: due at 09:00 on the 21st."""
    message = deliver(1, "Bonjour, quel est le tarif de la formation ?", kind="private_message", thread_id="t_1")
    return Item.objects.get(pk=message.item_id)


def test_nothing_happens_while_the_deadline_is_far(waiting):
    assert jobs.warn_near_deadlines(waiting.reply_due_at - timedelta(hours=5)) == []


def test_four_hours_before_it_the_item_becomes_urgent_and_every_community_manager_is_told(waiting, personas):
    assert jobs.warn_near_deadlines(waiting.reply_due_at - timedelta(hours=3)) == [waiting.pk]
    waiting.refresh_from_db()
    assert waiting.priority == Priority.URGENT and waiting.warned_for == waiting.reply_due_at
    event = AuditEvent.objects.get(verb="item.priority_changed", target_id=str(waiting.pk))
    assert event.actor_label == "Délai de réponse"
    told = Notification.objects.filter(title="Message privé à répondre bientôt : Emma Laurent sur Facebook")
    assert [n.recipient for n in told] == [personas["community_manager"]]
    assert told[0].body.endswith("« Bonjour, quel est le tarif de la formation ? »")  # what to answer, at a glance
    assert jobs.warn_near_deadlines(waiting.reply_due_at - timedelta(hours=2)) == []  # once


def test_the_assigned_person_alone_is_told(waiting, personas):
    actions.assign(waiting, personas["communication"], by=personas["admin"])
    jobs.warn_near_deadlines(waiting.reply_due_at + timedelta(minutes=5))
    [notification] = Notification.objects.filter(reason="Délai de réponse")
    assert notification.recipient == personas["communication"] and notification.title.startswith(
        "Message privé en retard : Emma Laurent"
    )


def test_old_history_raises_no_alarm(waiting):
    assert jobs.warn_near_deadlines(waiting.reply_due_at + timedelta(days=3)) == []


def test_a_critical_item_keeps_its_priority(waiting, cm):
    actions.set_priority(waiting, Priority.CRITICAL, by=cm)
    jobs.warn_near_deadlines(waiting.reply_due_at - timedelta(hours=1))
    waiting.refresh_from_db()
    assert waiting.priority == Priority.CRITICAL and waiting.warned_for == waiting.reply_due_at


def test_once_answered_the_warning_is_read_for_everyone(waiting, deliver, personas):
    """The reply reached the person: « à répondre bientôt » is no longer news waiting in the menu's count."""
    from vigie.inbox import items

    other = Item.objects.get(pk=deliver(2, "Bonjour, où a lieu la formation ?", kind="private_message",
                                        thread_id="t_2", author="a2").item_id)  # fmt: skip
    jobs.warn_near_deadlines(waiting.reply_due_at - timedelta(hours=3))
    assert Notification.objects.filter(reason="Délai de réponse", read_at=None).count() == 2
    assert items.answered(waiting.pk, waiting.reply_due_at - timedelta(hours=2)) == 1
    [still] = Notification.objects.filter(reason="Délai de réponse", read_at=None)
    assert still.key == f"item:{other.pk}"
