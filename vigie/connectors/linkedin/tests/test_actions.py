"""Actions on LinkedIn through the outbox (vigie.moderation.outbox.run), against the local LinkedIn."""

from datetime import timedelta

import pytest
from django.utils import timezone

from vigie.connectors.base import ActionRequest, refusal
from vigie.connectors.linkedin.connector import CAPABILITIES, connector, poll_channel
from vigie.connectors.tests.support import resume_after_crash, retried_after_a_lost_answer
from vigie.inbox import actions
from vigie.inbox.models import Message
from vigie.ingestion.models import Channel
from vigie.lib.http import ConnectorError
from vigie.moderation import outbox
from vigie.moderation.models import PlatformAction

pytestmark = pytest.mark.django_db


@pytest.fixture
def post(fake_linkedin):
    return fake_linkedin.add_post()


@pytest.fixture
def received(fake_linkedin, page, post, django_capture_on_commit_callbacks):
    """received(text, target=post) → the inbox Message of a member's comment, collected by polling."""

    def _received(text, target=None):
        urn = fake_linkedin.add_comment(target or post, text)
        with django_capture_on_commit_callbacks(execute=True):
            poll_channel(page.pk)
        return Message.objects.get(external_id=urn)

    return _received


def reply(cm, message, text="Bonjour, les dates sont sur notre site.", thread=None):
    actions.compose_reply(thread or message.thread, text, by=cm, in_reply_to=message)
    return PlatformAction.objects.latest("id")


def queue(verb, message):
    return PlatformAction.objects.create(channel=message.channel, verb=verb, target_message=message,
                                         dedup_key=f"{verb}:{message.pk}")  # fmt: skip


def run(action):
    outbox.run(action.pk)
    action.refresh_from_db()
    return action


def test_a_reply_is_posted_as_the_organisation_under_the_comment(fake_linkedin, received, cm):
    question = received("Quelles sont les dates ?")
    action = run(reply(cm, question))
    [created] = fake_linkedin.created
    comment = fake_linkedin.comments[created]
    assert (comment.actor, comment.parent, comment.text) == (
        fake_linkedin.organization, question.external_id, "Bonjour, les dates sont sur notre site.")  # fmt: skip
    assert action.status == PlatformAction.Status.DONE and action.platform_result_id == created
    assert Message.objects.get(kind="reply").external_id == created


def test_a_reply_to_a_reply_goes_under_its_top_level_comment(fake_linkedin, received, cm):
    question = received("Quelles sont les dates ?")
    follow_up = received("Et les tarifs ?", target=question.external_id)
    assert follow_up.parent == question
    run(reply(cm, follow_up))
    assert fake_linkedin.comments[fake_linkedin.created[0]].parent == question.external_id


def test_a_reply_to_the_post_itself_is_a_comment_on_the_post(fake_linkedin, received, cm, post):
    question = received("Bonjour")
    actions.compose_reply(question.thread, "Merci à tous pour vos messages", by=cm)
    run(PlatformAction.objects.get())
    comment = fake_linkedin.comments[fake_linkedin.created[0]]
    assert comment.parent is None and comment.post.urn == post


def test_a_polled_reply_of_ours_is_the_same_message_not_an_incoming_one(fake_linkedin, received, cm, page):
    question = received("Quelles sont les dates ?")
    run(reply(cm, question))
    poll_channel(page.pk)
    assert list(Message.objects.values_list("kind", flat=True).order_by("id")) == ["comment", "reply"]


def test_a_comment_is_deleted_as_the_organisation(fake_linkedin, received):
    spam = received("Gagnez 1000 € par jour, cliquez ici")
    action = run(queue("delete", spam))
    assert action.status == PlatformAction.Status.DONE and fake_linkedin.deleted == [spam.external_id]
    assert not fake_linkedin.visible(spam.external_id)


def test_a_reply_is_deleted_under_its_parent_comment(fake_linkedin, received):
    question = received("Quelles sont les dates ?")
    spam = received("Promo sur mes formations, voir mon profil", target=question.external_id)
    assert run(queue("delete", spam)).status == PlatformAction.Status.DONE
    assert fake_linkedin.deleted == [spam.external_id] and fake_linkedin.visible(question.external_id)


def test_deleting_a_comment_already_gone_is_done(fake_linkedin, received):
    spam = received("Spam")
    fake_linkedin.remove_comment(spam.external_id)
    action = run(queue("delete", spam))
    assert (
        action.status == PlatformAction.Status.DONE and action.result["details"]["note"] == "déjà supprimé sur LinkedIn"
    )


def test_what_linkedin_does_not_allow_is_said_with_the_nearest_action():
    assert CAPABILITIES["reply"].allowed and CAPABILITIES["delete"].allowed
    assert (
        refusal(CAPABILITIES["hide"])
        == "LinkedIn ne permet pas de masquer un commentaire. Action possible : Supprimer."
    )
    assert refusal(CAPABILITIES["block"]) == (
        "LinkedIn n'offre pas d'API pour bloquer un membre. "
        "Action possible : Bloquer depuis la page LinkedIn (interface web)."
    )
    assert refusal(CAPABILITIES["private_reply"]) == "LinkedIn n'offre pas de messagerie de page."
    assert not CAPABILITIES["unhide"].allowed and not CAPABILITIES["unhide"].nearest


@pytest.mark.parametrize("verb", ["hide", "unhide", "block", "private_reply"])
def test_a_verb_linkedin_does_not_have_fails_with_the_reason_and_calls_nothing(fake_linkedin, received, verb):
    message = received("Commentaire désagréable")
    fake_linkedin.calls.clear()
    action = run(queue(verb, message))
    assert action.status == PlatformAction.Status.FAILED and action.error == refusal(CAPABILITIES[verb])
    assert not fake_linkedin.calls and Channel.objects.get().status == Channel.Status.CONNECTED


def test_an_expired_token_fails_the_action_and_the_page_asks_to_reconnect(fake_linkedin, received, cm):
    question = received("Quelles sont les dates ?")
    fake_linkedin.faults.expired_token = True
    action = run(reply(cm, question))
    assert action.status == PlatformAction.Status.FAILED and "Jeton LinkedIn expiré" in action.error
    channel = Channel.objects.get()
    assert channel.status == Channel.Status.TO_RECONNECT and "reconnectez la page" in channel.last_error


def test_a_rate_limit_waits_the_default_minute(fake_linkedin, received, cm):
    question = received("Quelles sont les dates ?")
    fake_linkedin.faults.rate_limited = True
    action = run(reply(cm, question))
    assert action.status == PlatformAction.Status.PENDING and "Limite d'appels LinkedIn" in action.error
    assert action.next_attempt_at >= timezone.now() + timedelta(seconds=55)


def test_a_server_error_is_temporary(fake_linkedin, received, cm):
    question = received("Quelles sont les dates ?")
    fake_linkedin.faults.error_rate = 1.0
    action = run(reply(cm, question))
    assert action.status == PlatformAction.Status.PENDING and "LinkedIn indisponible" in action.error


def test_a_text_linkedin_refuses_fails_with_its_message(fake_linkedin, received, cm):
    question = received("Quelles sont les dates ?")
    action = run(reply(cm, question, text="x" * 1300))
    assert action.status == PlatformAction.Status.FAILED and "LinkedIn refuse le contenu envoyé" in action.error
    assert "1250" in action.error and not fake_linkedin.created


def test_a_reply_to_a_comment_gone_from_linkedin_fails_as_not_found(fake_linkedin, received, cm):
    question = received("Quelles sont les dates ?")
    fake_linkedin.remove_comment(question.external_id)
    action = run(reply(cm, question))
    assert action.status == PlatformAction.Status.FAILED and action.error.startswith("Introuvable sur LinkedIn")


def test_a_permission_refusal_is_permanent(fake_linkedin, page):
    post = fake_linkedin.add_post()
    page.external_id = "urn:li:organization:1"  # a page the token's member does not administer
    request = ActionRequest(verb="reply", channel_external_id=page.external_id, thread_external_id=post, text="Bonjour")
    with pytest.raises(ConnectorError) as caught:
        connector.execute(page, request)
    assert caught.value.permanent and not caught.value.reconnect and "plus administrateur" in str(caught.value)


def test_after_a_crash_the_reply_is_found_not_sent_twice(fake_linkedin, received, cm, monkeypatch):
    question = received("Quelles sont les dates ?")
    action = resume_after_crash(reply(cm, question), monkeypatch)
    assert action.status == PlatformAction.Status.DONE and action.result["details"] == {"found": True}
    assert len(fake_linkedin.created) == 1 and action.platform_result_id == fake_linkedin.created[0]


def test_after_a_crash_a_deletion_already_done_is_not_repeated(fake_linkedin, received, monkeypatch):
    spam = received("Spam")
    action = resume_after_crash(queue("delete", spam), monkeypatch)
    assert action.status == PlatformAction.Status.DONE and fake_linkedin.deleted == [spam.external_id]


def test_a_reply_whose_answer_was_lost_is_found_on_the_next_attempt_not_posted_twice(fake_linkedin, received, cm):
    first, action = retried_after_a_lost_answer(fake_linkedin, reply(cm, received("Quelles sont les dates ?")))
    assert first == PlatformAction.Status.PENDING and action.status == PlatformAction.Status.DONE
    assert action.result["details"] == {"found": True} and len(fake_linkedin.created) == 1
