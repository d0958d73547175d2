"""Actions against the local Facebook over real HTTP: each changes the platform's state; errors mean
what platform-apis.md §1.10 says; find_done recognises what an interrupted attempt did."""

import time
from datetime import timedelta

import httpx
import pytest
import time_machine
from django.utils import timezone

from vigie.connectors.base import ActionRequest
from vigie.connectors.facebook import client
from vigie.connectors.facebook.connector import ACTIONS, CAPABILITIES, connector
from vigie.connectors.facebook.tests.conftest import fixture
from vigie.connectors.fake.facebook import graph_error
from vigie.connectors.fake.server import Response
from vigie.inbox import actions
from vigie.inbox.errors import ActionError
from vigie.inbox.models import Message
from vigie.ingestion.models import Channel
from vigie.lib.http import ConnectorError, RetryLater
from vigie.moderation import outbox
from vigie.moderation.models import PlatformAction
from vigie.sla.models import ClockSettings

pytestmark = pytest.mark.django_db

DAY = 86400


@pytest.fixture
def post(fake):
    return fake.add_post("🌀 Nouveau cycle à Lyon : inscriptions ouvertes")


@pytest.fixture
def comment(fake, post):
    return fake.add_comment(post, "Quel est le tarif ?", "Jeanne Dupuis")


def on_comment(fake, comment_id: str, verb: str, **values) -> ActionRequest:
    found = fake.comments[comment_id]
    return ActionRequest(verb=verb, channel_external_id=fake.page_id, target_external_id=comment_id,
                         thread_external_id=found.post_id.split("_", 1)[1], author_external_id=found.author_id,
                         **values)  # fmt: skip


def to_person(fake, psid: str, verb: str = "reply", **values) -> ActionRequest:
    return ActionRequest(verb=verb, channel_external_id=fake.page_id, thread_external_id=f"psid:{psid}",
                         author_external_id=psid, **values)  # fmt: skip


def psid_writing(fake, seconds_ago: float = 60) -> str:
    fake.add_message(None, "Bonjour, une question", name="Audrey Lemaître", at=time.time() - seconds_ago)
    return fake.people["Audrey Lemaître"].psid


# --- each action changes the platform ----------------------------------------------------------------


def test_a_public_reply_appears_under_the_comment(fake, channel, comment):
    result = connector.execute(channel, on_comment(fake, comment, "reply", text="1 900 € le cycle."))
    [reply] = fake.replies_to(comment)
    assert (reply.id, reply.author_id, reply.message) == (result.platform_id, fake.page_id, "1 900 € le cycle.")
    assert fake.replies_created == 1


def test_a_reply_without_a_target_comment_goes_on_the_post(fake, channel, post):
    request = ActionRequest(verb="reply", channel_external_id=fake.page_id, thread_external_id=post.split("_")[1],
                            text="Merci à tous !")  # fmt: skip
    result = connector.execute(channel, request)
    assert fake.comments[result.platform_id].post_id == post and fake.comments[result.platform_id].parent_id is None


def test_a_messenger_reply_inside_24_hours_is_sent(fake, channel):
    psid = psid_writing(fake, seconds_ago=23 * 3600)
    result = connector.execute(channel, to_person(fake, psid, text="Bonjour Audrey, oui."))
    last = fake.conversations[psid].messages[-1]
    assert (last["id"], last["from"], last["text"]) == (result.platform_id, fake.page_id, "Bonjour Audrey, oui.")
    assert fake.messages_sent == 1


def test_a_messenger_reply_after_24_hours_fails_clearly(fake, channel):
    psid = psid_writing(fake, seconds_ago=25 * 3600)
    with pytest.raises(ConnectorError, match="24 h") as failure:
        connector.execute(channel, to_person(fake, psid, text="Bonjour"))
    assert failure.value.permanent and "agent humain" in str(failure.value) and "7 jours" in str(failure.value)
    assert fake.messages_sent == 0


def test_the_human_agent_tag_allows_a_reply_up_to_7_days(fake, channel):
    psid = psid_writing(fake, seconds_ago=3 * DAY)
    connector.execute(channel, to_person(fake, psid, text="Bonjour", options={"tag": "HUMAN_AGENT"}))
    assert fake.messages_sent == 1


def test_after_7_days_even_the_human_agent_tag_is_refused(fake, channel):
    psid = psid_writing(fake, seconds_ago=8 * DAY)
    with pytest.raises(ConnectorError, match="Plus de 7 jours") as failure:
        connector.execute(channel, to_person(fake, psid, text="Bonjour", options={"tag": "HUMAN_AGENT"}))
    assert failure.value.permanent


def test_a_private_reply_is_sent_once_per_comment(fake, channel, comment):
    request = on_comment(fake, comment, "private_reply", text="Je vous envoie la brochure en privé.")
    connector.execute(channel, request)
    assert fake.private_replies == 1 and fake.comments[comment].private_reply_conversation.startswith("t_")
    with pytest.raises(ConnectorError, match="déjà reçu une réponse privée") as failure:
        connector.execute(channel, request)
    assert failure.value.permanent and fake.private_replies == 1


def test_a_private_reply_after_7_days_is_refused_before_calling_facebook(fake, channel, post):
    old = fake.add_comment(post, "Des nouvelles ?", "Jeanne Dupuis", created_time=time.time() - 8 * DAY)
    with pytest.raises(ConnectorError, match="Plus de 7 jours depuis ce commentaire") as failure:
        connector.execute(channel, on_comment(fake, old, "private_reply", text="Bonjour"))
    assert failure.value.permanent and ("POST", "/v21.0/104857600123456/messages") not in fake.calls


def test_hide_then_unhide(fake, channel, comment):
    connector.execute(channel, on_comment(fake, comment, "hide"))
    assert fake.comments[comment].is_hidden and fake.hides == 1
    connector.execute(channel, on_comment(fake, comment, "unhide"))
    assert not fake.comments[comment].is_hidden


def test_the_page_cannot_hide_its_own_comment(fake, channel, comment):
    ours = connector.execute(channel, on_comment(fake, comment, "reply", text="Bonjour")).platform_id
    with pytest.raises(ConnectorError, match="code 10") as failure:
        connector.execute(channel, on_comment(fake, ours, "hide"))
    assert failure.value.permanent


def test_delete_removes_the_comment_and_its_replies(fake, channel, post, comment):
    answer = fake.add_comment(post, "Moi aussi je veux savoir", "Luc Gérard", parent_id=comment)
    connector.execute(channel, on_comment(fake, comment, "delete"))
    assert comment not in fake.comments and answer not in fake.comments and fake.deletions == 1


def test_deleting_a_comment_already_gone_is_done(fake, channel, comment):
    request = on_comment(fake, comment, "delete")
    fake.remove_comment(comment)
    assert connector.execute(channel, request).details == {"already_gone": True}


def test_block_a_commenter(fake, channel, comment):
    connector.execute(channel, on_comment(fake, comment, "block"))
    assert fake.blocked == {fake.people["Jeanne Dupuis"].asid: "Jeanne Dupuis"} and fake.blocks == 1


def test_unblock_lifts_the_block_and_find_done_sees_it(fake, channel, comment):
    connector.execute(channel, on_comment(fake, comment, "block"))
    request = on_comment(fake, comment, "unblock")
    assert connector.find_done(channel, request) is None
    connector.execute(channel, request)
    assert fake.blocked == {} and fake.counts["unblocks"] == 1
    assert connector.find_done(channel, request).details == {"unblocked": True}


def test_block_a_messenger_user_by_psid(fake, channel):
    psid = psid_writing(fake)
    connector.execute(channel, to_person(fake, psid, verb="block"))
    assert psid in fake.blocked


def test_an_unknown_author_cannot_be_blocked(fake, channel):
    request = ActionRequest(verb="block", channel_external_id=fake.page_id, author_external_id="unknown")
    with pytest.raises(ConnectorError, match="Auteur inconnu"):
        connector.execute(channel, request)


def test_what_facebook_does_not_offer_fails_clearly(fake, channel):
    fake.calls.clear()
    with pytest.raises(ConnectorError, match="Facebook n'offre pas d'API de signalement") as failure:
        connector.execute(channel, ActionRequest(verb="report", channel_external_id=fake.page_id))
    assert failure.value.permanent and str(failure.value).endswith("Action possible : Masquer.")
    assert not fake.calls


def test_each_verb_facebook_allows_has_its_action():
    assert {verb for verb, capability in CAPABILITIES.items() if capability.allowed} == set(ACTIONS)


# --- find_done: after an interrupted attempt -----------------------------------------------------------


def test_find_done_finds_a_reply_already_posted(fake, channel, comment):
    started = timezone.now()
    request = on_comment(fake, comment, "reply", text="Bonjour, 1 900 €.", started_at=started)
    done = connector.execute(channel, request)
    assert connector.find_done(channel, request).platform_id == done.platform_id


def test_find_done_does_not_mistake_another_reply(fake, channel, comment):
    connector.execute(channel, on_comment(fake, comment, "reply", text="Autre chose"))
    request = on_comment(fake, comment, "reply", text="Bonjour, 1 900 €.", started_at=timezone.now())
    assert connector.find_done(channel, request) is None


def test_find_done_ignores_the_same_text_sent_long_before(fake, channel, comment):
    connector.execute(channel, on_comment(fake, comment, "reply", text="Merci !"))
    later = timezone.now() + timedelta(hours=1)
    assert connector.find_done(channel, on_comment(fake, comment, "reply", text="Merci !", started_at=later)) is None


def test_find_done_for_messenger_hide_delete_block_and_private_reply(fake, channel, comment):
    psid = psid_writing(fake)
    message = to_person(fake, psid, text="Bonjour Audrey", started_at=timezone.now())
    requests = [message] + [on_comment(fake, comment, verb, text="En privé") for verb in ("hide", "block")]
    private = on_comment(fake, comment, "private_reply", text="En privé")
    deletion = on_comment(fake, comment, "delete")
    for request in [*requests, private]:
        assert connector.find_done(channel, request) is None
        connector.execute(channel, request)
        assert connector.find_done(channel, request) is not None
    assert connector.find_done(channel, deletion) is None
    connector.execute(channel, deletion)
    assert connector.find_done(channel, deletion).details == {"already_gone": True}


# --- errors (platform-apis.md §1.10) -----------------------------------------------------------------


def test_the_graph_error_fixture_is_an_expired_token():
    error = client.error_for(httpx.Response(400, content=fixture("graph__error_expired_token").encode()))
    assert error.reconnect and "reconnectez la Page" in str(error) and "sous-code 460" in str(error)


@pytest.mark.parametrize(
    ("code", "subcode", "kind", "words"),
    [
        (190, 463, "reconnect", "Jeton Facebook expiré ou révoqué : reconnectez la Page"),
        (4, None, "later", "Limite d'appels"),
        (17, None, "later", "Limite d'appels"),
        (32, None, "later", "Limite d'appels"),
        (613, 1996, "later", "Limite d'appels"),
        (80001, None, "later", "Limite d'appels"),
        (80006, None, "later", "Limite d'appels"),
        (1, None, "later", "indisponible"),
        (2, None, "later", "indisponible"),
        (10, 2018278, "permanent", "Hors de la fenêtre"),
        (100, 33, "permanent", "introuvable ou inaccessible"),
        (368, None, "permanent", "bloquée temporairement par Facebook"),
        (341, None, "permanent", "bloquée temporairement par Facebook"),
        (200, None, "permanent", "Facebook a refusé l'action (code 200) : (#200) nope"),
    ],
)
def test_graph_errors_mean_what_the_docs_say(fake, channel, comment, code, subcode, kind, words):
    fake.answer_next(graph_error(code, f"(#{code}) nope", subcode=subcode))
    with pytest.raises(ConnectorError, match=words.replace("(", r"\(").replace(")", r"\)")) as failure:
        connector.execute(channel, on_comment(fake, comment, "hide"))
    error = failure.value
    assert (error.reconnect, isinstance(error, RetryLater), error.permanent) == {
        "reconnect": (True, False, True),
        "later": (False, True, False),
        "permanent": (False, False, True),
    }[kind]


def test_usage_headers_are_read_leniently():
    app_usage = httpx.Headers({"X-App-Usage": '{"call_count": 28, "total_time": 85, "total_cputime": 25}'})
    assert client.Usage.from_headers(app_usage).peak == 85
    assert client.Usage.from_headers(httpx.Headers({"X-Business-Use-Case-Usage": "[]"})) == client.Usage()


def test_a_rate_limit_waits_as_long_as_the_usage_header_says(fake, channel, comment):
    fake.faults.rate_limited, fake.regain_minutes = True, 7
    with pytest.raises(RetryLater) as failure:
        connector.execute(channel, on_comment(fake, comment, "hide"))
    assert failure.value.retry_after == 7 * 60


def test_a_server_error_is_retried_at_once_even_for_a_reply(fake, channel, comment):
    fake.answer_next(Response(500, {"error": {"message": "An unknown error occurred", "code": 1}}))
    connector.execute(channel, on_comment(fake, comment, "reply", text="Bonjour"))
    assert fake.replies_created == 1 and len(fake.replies_to(comment)) == 1


def test_server_errors_that_last_end_in_retry_later(fake, channel, comment):
    fake.faults.error_rate = 1.0
    with pytest.raises(RetryLater, match="indisponible"):
        connector.execute(channel, on_comment(fake, comment, "hide"))
    assert len(fake.calls) == 0  # the injected 500s come before Facebook does anything


def test_a_reply_that_timed_out_is_not_sent_again_in_the_same_attempt(fake, channel, comment, monkeypatch):
    monkeypatch.setattr(client, "POLICY", client.POLICY.__class__(attempts=3, base_delay=0.01,
                                                                  timeout=httpx.Timeout(0.2)))  # fmt: skip
    fake.faults.timeout_rate, fake.faults.timeout_seconds = 1.0, 0.4
    request = on_comment(fake, comment, "reply", text="Bonjour", started_at=timezone.now())
    with pytest.raises(RetryLater):
        connector.execute(channel, request)
    fake.wait_idle()
    assert fake.replies_created == 1  # Facebook did it although we never heard back
    fake.faults.timeout_rate = 0.0
    assert connector.find_done(channel, request).platform_id == fake.replies_to(comment)[0].id


def test_a_channel_without_a_token_must_be_reconnected(fake, channel, comment):
    channel.credentials = ""
    with pytest.raises(ConnectorError, match="reconnectez la Page") as failure:
        connector.execute(channel, on_comment(fake, comment, "hide"))
    assert failure.value.reconnect


# --- through the outbox ----------------------------------------------------------------------------


@pytest.fixture
def queued_reply(wired, channel, cm):
    comment = wired.add_comment(wired.add_post("Portes ouvertes"), "Quel tarif ?", "Jeanne Dupuis")
    question = Message.objects.get(external_id=comment)
    actions.compose_reply(question.thread, "Bonjour Jeanne, 1 900 €.", by=cm, in_reply_to=question)
    return PlatformAction.objects.get()


def test_the_outbox_sends_a_reply_once_and_records_its_id(wired, queued_reply):
    outbox.run(queued_reply.pk)
    queued_reply.refresh_from_db()
    assert queued_reply.status == PlatformAction.Status.DONE and wired.replies_created == 1
    reply = Message.objects.get(kind="reply")
    assert reply.external_id == queued_reply.platform_result_id and reply.delivery == Message.Delivery.SENT
    wired.flush()  # the Page's own comment comes back as a webhook: ignored, no loop
    assert Message.objects.count() == 2


def test_an_expired_token_makes_the_channel_ask_to_be_reconnected(wired, queued_reply):
    wired.faults.expired_token = True
    outbox.run(queued_reply.pk)
    queued_reply.refresh_from_db()
    channel = Channel.objects.get()
    assert queued_reply.status == PlatformAction.Status.FAILED and channel.status == Channel.Status.TO_RECONNECT
    assert "Jeton Facebook expiré ou révoqué : reconnectez la Page" in channel.last_error


def test_a_rate_limit_puts_the_action_back_for_later(wired, queued_reply):
    wired.faults.rate_limited = True
    outbox.run(queued_reply.pk)
    queued_reply.refresh_from_db()
    assert queued_reply.status == PlatformAction.Status.PENDING
    assert queued_reply.next_attempt_at >= timezone.now() + timedelta(minutes=4)


def test_a_messenger_reply_outside_the_window_is_refused_before_anything_is_sent(wired, channel, cm):
    wired.add_message(None, "Bonjour ?", name="Audrey Lemaître", at=time.time() - 2 * DAY)
    question = Message.objects.get(kind="private_message")
    with pytest.raises(ActionError, match="Fenêtre Messenger de 24 h fermée"):
        actions.compose_reply(question.thread, "Bonjour Audrey", by=cm, in_reply_to=question)
    assert not PlatformAction.objects.exists()
    assert Channel.objects.get().status == Channel.Status.CONNECTED


# --- Messenger's window closing while a reply waits in the outbox -------------------------------------


def _reply_queued_just_before_the_window_closes(wired, cm) -> Message:
    wired.add_message(None, "Bonjour, quel est le tarif ?", name="Audrey Lemaître", at=time.time() - DAY + 60)
    question = Message.objects.get(kind="private_message")
    actions.compose_reply(question.thread, "Bonjour Audrey, 1 900 €.", by=cm, in_reply_to=question)
    return question


def test_a_reply_still_in_the_outbox_when_the_window_closes_fails_before_facebook_is_called(wired, channel, cm):
    question = _reply_queued_just_before_the_window_closes(wired, cm)
    with time_machine.travel(timezone.now() + timedelta(minutes=5)):
        outbox.run(PlatformAction.objects.get().pk)
    action = PlatformAction.objects.get()
    assert action.status == PlatformAction.Status.FAILED and "agent humain" in action.error
    assert wired.messages_sent == 0
    assert Message.objects.get(kind="reply").delivery == Message.Delivery.FAILED
    question.refresh_from_db()
    assert question.replied_at is None and question.reply_due_at is not None  # still owed an answer
    assert question.item.status == "in_progress"  # back to the desk


def test_with_the_human_agent_permission_it_leaves_tagged_and_answers_late(wired, channel, cm):
    ClockSettings.objects.update_or_create(pk=1, defaults={"human_agent": True})
    question = _reply_queued_just_before_the_window_closes(wired, cm)
    assert PlatformAction.objects.get().result == {}  # inside the window when written: no tag
    with time_machine.travel(timezone.now() + timedelta(minutes=5)):
        outbox.run(PlatformAction.objects.get().pk)
        now = timezone.now()
    action = PlatformAction.objects.get()
    assert action.status == PlatformAction.Status.DONE and action.result["options"] == {"tag": "HUMAN_AGENT"}
    assert wired.messages_sent == 1
    question.refresh_from_db()
    assert question.sla(now) == "missed"  # sent 24 h 04 after the question


def test_after_the_window_a_reply_is_written_with_the_human_agent_tag(wired, channel, cm):
    ClockSettings.objects.update_or_create(pk=1, defaults={"human_agent": True})
    wired.add_message(None, "Bonjour ?", name="Audrey Lemaître", at=time.time() - 2 * DAY)
    question = Message.objects.get(kind="private_message")
    actions.compose_reply(question.thread, "Bonjour Audrey", by=cm, in_reply_to=question)
    action = PlatformAction.objects.get()
    assert action.result == {"options": {"tag": "HUMAN_AGENT"}}
    outbox.run(action.pk)
    action.refresh_from_db()
    assert action.status == PlatformAction.Status.DONE and wired.messages_sent == 1


def test_a_reply_sent_just_before_the_worker_died_is_found_not_failed_after_the_window(wired, channel, cm):
    _reply_queued_just_before_the_window_closes(wired, cm)
    action = outbox._claim(PlatformAction.objects.get().pk)
    connector.execute(channel, outbox.request_for(action))  # Facebook got it; the worker dies here
    with time_machine.travel(timezone.now() + outbox.LEASE + timedelta(minutes=1)):
        outbox.run(action.pk)
    action.refresh_from_db()
    assert action.status == PlatformAction.Status.DONE and wired.messages_sent == 1
