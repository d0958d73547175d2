"""Actions on YouTube through the outbox (vigie.moderation.outbox.run), against the local YouTube."""

from datetime import datetime

import pytest
import time_machine

from vigie.connectors.tests.support import resume_after_crash, retried_after_a_lost_answer
from vigie.connectors.youtube import client
from vigie.connectors.youtube.connector import CAPABILITIES, poll_channel
from vigie.inbox import actions
from vigie.inbox.models import Message
from vigie.ingestion.models import Channel
from vigie.moderation import outbox
from vigie.moderation.models import PlatformAction

pytestmark = pytest.mark.django_db


@pytest.fixture
def video(fake_youtube):
    return fake_youtube.add_video()


@pytest.fixture
def received(fake_youtube, youtube_channel, video, django_capture_on_commit_callbacks):
    """received(text, thread=None) → the inbox Message of a viewer's comment (or reply), collected by polling."""

    def _received(text, thread=None):
        if thread:
            comment_id = fake_youtube.add_reply(thread, text, "UCautre00000000000000000", "Julien R.")
        else:
            comment_id = fake_youtube.add_comment(video, text)
        with django_capture_on_commit_callbacks(execute=True):
            poll_channel(youtube_channel.pk)
        return Message.objects.get(external_id=comment_id)

    return _received


def reply(cm, message, text="Bonjour, oui : les modules théoriques sont en ligne."):
    actions.compose_reply(message.thread, text, by=cm, in_reply_to=message)
    return PlatformAction.objects.latest("id")


def queue(verb, message):
    return PlatformAction.objects.create(channel=message.channel, verb=verb, target_message=message,
                                         dedup_key=f"{verb}:{message.pk}")  # fmt: skip


def run(action):
    outbox.run(action.pk)
    action.refresh_from_db()
    return action


def test_a_reply_goes_into_the_thread_as_the_channel(fake_youtube, received, cm, youtube_channel):
    question = received("La formation est-elle accessible à distance ?")
    action = run(reply(cm, question))
    [created] = fake_youtube.inserted
    comment = fake_youtube.comments[created]
    assert (comment.parent, comment.author) == (question.external_id, fake_youtube.channel_id)
    assert action.status == PlatformAction.Status.DONE and action.platform_result_id == created
    assert Message.objects.get(kind="reply").external_id == created
    youtube_channel.refresh_from_db()
    assert youtube_channel.poll_cursor["quota"]["used"] == 1 + 50  # the poll, then comments.insert


def test_a_reply_to_a_reply_goes_to_its_thread(fake_youtube, received, cm):
    question = received("La formation est-elle accessible à distance ?")
    follow_up = received("Et la pratique ?", thread=question.external_id)
    run(reply(cm, follow_up))
    assert fake_youtube.comments[fake_youtube.inserted[0]].parent == question.external_id


@pytest.mark.parametrize(
    "verb, status, ban, note",
    [("hide", "heldForReview", False, "mis en attente d'examen sur YouTube"),
     ("delete", "rejected", False, "rejeté (YouTube ne supprime pas les commentaires des autres)"),
     ("block", "rejected", True, "rejeté, et son auteur banni de la chaîne")],
)  # fmt: skip
def test_moderation_sets_the_status_youtube_has(fake_youtube, received, verb, status, ban, note):
    message = received("Achetez mes abonnés pas chers")
    action = run(queue(verb, message))
    assert action.status == PlatformAction.Status.DONE and action.result["details"]["note"] == note
    assert fake_youtube.moderated == [(message.external_id, status, ban)]
    assert (fake_youtube.comments[message.external_id].author in fake_youtube.banned) is ban


def test_a_held_comment_is_published_again_by_unhide(fake_youtube, received):
    message = received("Commentaire à revoir")
    run(queue("hide", message))
    PlatformAction.objects.all().delete()
    assert run(queue("unhide", message)).status == PlatformAction.Status.DONE
    assert fake_youtube.status_of(message.external_id) == "published"


def test_a_rejected_comment_cannot_be_published_again(fake_youtube, received):
    message = received("Spam")
    run(queue("delete", message))
    PlatformAction.objects.all().delete()
    action = run(queue("unhide", message))
    assert action.status == PlatformAction.Status.FAILED and "ne peut pas être republié" in action.error


def test_what_youtube_does_not_allow_is_said():
    assert not CAPABILITIES["private_reply"].allowed and "messages privés" in CAPABILITIES["private_reply"].reason
    assert "YouTube ne supprime pas les commentaires des autres" in CAPABILITIES["delete"].reason
    assert all(CAPABILITIES[verb].allowed for verb in ("reply", "hide", "unhide", "delete", "block"))


def test_a_private_reply_fails_with_the_reason_and_calls_nothing(fake_youtube, received):
    message = received("Bonjour")
    fake_youtube.calls.clear()
    action = run(queue("private_reply", message))
    assert action.status == PlatformAction.Status.FAILED and action.error == CAPABILITIES["private_reply"].reason
    assert not fake_youtube.calls


def test_an_expired_token_fails_the_action_and_the_channel_asks_to_reconnect(fake_youtube, received, cm):
    question = received("Bonjour")
    fake_youtube.faults.expired_token = True
    action = run(reply(cm, question))
    assert action.status == PlatformAction.Status.FAILED and "Jeton YouTube expiré" in action.error
    assert Channel.objects.get().status == Channel.Status.TO_RECONNECT


def test_an_action_past_the_budget_waits_for_pacific_midnight_without_calling(fake_youtube, received, cm, settings):
    question = received("Bonjour")
    settings.YOUTUBE_DAILY_QUOTA = 40  # less than one comments.insert
    fake_youtube.calls.clear()
    with time_machine.travel(datetime(2026, 11, 20, 22, 0, tzinfo=client.PACIFIC), tick=False):
        action = run(reply(cm, question))
    assert action.status == PlatformAction.Status.PENDING and "Quota YouTube du jour atteint" in action.error
    assert action.next_attempt_at == datetime(2026, 11, 21, 0, 0, tzinfo=client.PACIFIC)
    assert not fake_youtube.calls


def test_youtube_quota_exceeded_makes_the_action_wait_for_pacific_midnight(fake_youtube, received, cm):
    question = received("Bonjour")
    fake_youtube.quota_limit = fake_youtube.quota_used  # another app of the project spent it
    with time_machine.travel(datetime(2026, 11, 20, 22, 0, tzinfo=client.PACIFIC), tick=False):
        action = run(reply(cm, question))
    assert action.status == PlatformAction.Status.PENDING
    assert action.next_attempt_at == datetime(2026, 11, 21, 0, 0, tzinfo=client.PACIFIC)
    assert Channel.objects.get().poll_cursor["quota"]["used"] == client.daily_quota()


def test_comments_disabled_is_permanent(fake_youtube, received, cm, video):
    question = received("Bonjour")
    fake_youtube.disable_comments(video)
    action = run(reply(cm, question))
    assert action.status == PlatformAction.Status.FAILED and "commentaires sont désactivés" in action.error


def test_a_server_error_is_temporary(fake_youtube, received, cm):
    question = received("Bonjour")
    fake_youtube.faults.error_rate = 1.0
    action = run(reply(cm, question))
    assert action.status == PlatformAction.Status.PENDING and "YouTube indisponible" in action.error


def test_after_a_crash_the_reply_is_found_not_sent_twice(fake_youtube, received, cm, monkeypatch):
    question = received("Bonjour")
    action = resume_after_crash(reply(cm, question), monkeypatch)
    assert action.status == PlatformAction.Status.DONE and action.result["details"] == {"found": True}
    assert fake_youtube.inserted == [action.platform_result_id]


def test_after_a_crash_a_moderation_already_done_is_not_repeated(fake_youtube, received, monkeypatch):
    message = received("Spam")
    action = resume_after_crash(queue("block", message), monkeypatch)
    assert action.status == PlatformAction.Status.DONE and action.result["details"]["found"]
    assert len(fake_youtube.moderated) == 1


def test_a_reply_whose_answer_was_lost_is_found_on_the_next_attempt_not_posted_twice(fake_youtube, received, cm):
    first, action = retried_after_a_lost_answer(fake_youtube, reply(cm, received("Quelles sont les dates ?")))
    assert first == PlatformAction.Status.PENDING and action.status == PlatformAction.Status.DONE
    assert action.result["details"] == {"found": True} and len(fake_youtube.inserted) == 1
