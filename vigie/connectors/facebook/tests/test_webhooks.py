"""GET/POST /webhooks/facebook: handshake, signature on the raw bytes, store first, process after commit."""

import json
import logging
from datetime import timedelta

import pytest
from django.test import Client

from vigie.connectors.facebook import payloads
from vigie.connectors.facebook.tests.conftest import APP_SECRET, VERIFY_TOKEN, fixture, sign
from vigie.connectors.tests.support import stored_deliveries
from vigie.inbox import items
from vigie.inbox.models import Item, Message, MessageVersion
from vigie.inbox.status import Status
from vigie.ingestion.models import RawEvent

pytestmark = pytest.mark.django_db

URL = "/webhooks/facebook"


def handshake(client, **overrides):
    query = {"hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "1158201444"} | overrides
    return client.get(URL, query)


# --- the verification handshake ----------------------------------------------------------------------


def test_it_answers_the_verification_handshake_with_the_challenge(client, webhook_settings):
    response = handshake(client)
    assert response.status_code == 200 and response.content == b"1158201444"
    assert response["Content-Type"].startswith("text/plain")


def test_it_refuses_a_wrong_verify_token(client, webhook_settings):
    assert handshake(client, **{"hub.verify_token": "autre-jeton"}).status_code == 403


def test_it_refuses_a_mode_other_than_subscribe(client, webhook_settings):
    assert handshake(client, **{"hub.mode": "unsubscribe"}).status_code == 403


def test_it_limits_the_handshakes_one_address_may_try(client, webhook_settings):
    from vigie.connectors.facebook.webhooks import HANDSHAKES_PER_MINUTE

    wrong = [handshake(client, **{"hub.verify_token": "essai"}).status_code for _ in range(HANDSHAKES_PER_MINUTE)]
    assert wrong == [403] * HANDSHAKES_PER_MINUTE
    assert handshake(client).status_code == 429  # even the right token, once the address used its tries
    assert handshake(Client(REMOTE_ADDR="192.0.2.7")).status_code == 200


def test_without_a_verify_token_configured_nothing_is_verified(client, webhook_settings, settings):
    settings.FACEBOOK_VERIFY_TOKEN = ""
    assert handshake(client, **{"hub.verify_token": ""}).status_code == 403


# --- signed deliveries -------------------------------------------------------------------------------


def test_a_signed_delivery_is_stored_once_and_becomes_a_message(deliver):
    response = deliver(fixture("feed__comment_add"))
    assert response.status_code == 200
    raw = RawEvent.objects.get()
    assert (raw.source, raw.platform, raw.status) == ("webhook", "facebook", RawEvent.Status.DONE)
    assert raw.body == fixture("feed__comment_add")  # the bytes as they came
    assert Message.objects.get().text == "+1"


def test_it_rejects_a_bad_signature(deliver):
    body = fixture("feed__comment_add").encode()
    response = deliver(body, {"X-Hub-Signature-256": sign(body, secret="pas-le-bon-secret")})
    assert response.status_code == 403 and not RawEvent.objects.exists()


def test_it_rejects_a_missing_signature(deliver):
    assert deliver(fixture("feed__comment_add"), {}).status_code == 403 and not RawEvent.objects.exists()


def test_it_rejects_the_old_sha1_header_alone(deliver):
    body = fixture("feed__comment_add").encode()
    assert deliver(body, {"X-Hub-Signature": "sha1=" + "0" * 40}).status_code == 403


def test_the_signature_is_checked_on_the_raw_bytes_not_on_reserialised_json(deliver):
    body = json.dumps({"object": "page", "entry": [], "note": "é"}).encode()  # é sent as \u00e9, like Meta
    reserialised = json.dumps(json.loads(body), ensure_ascii=False).encode()
    assert deliver(body, {"X-Hub-Signature-256": sign(reserialised)}).status_code == 403
    assert deliver(body).status_code == 200


def test_a_signed_body_that_is_not_json_is_kept_failed_for_the_admins(deliver, client, personas):
    assert deliver("{pas du json").status_code == 200
    raw = RawEvent.objects.get()
    assert raw.status == RawEvent.Status.FAILED and "JSON invalide" in raw.error
    client.force_login(personas["admin"])
    assert "JSON invalide" in client.get("/collecte/echecs/").content.decode()


def test_a_signed_body_that_is_not_utf8_is_kept_failed(deliver):
    assert deliver(b'{"object": "page", "x": "\xe9"}').status_code == 200
    raw = RawEvent.objects.get()
    assert raw.status == RawEvent.Status.FAILED and "pas de l'UTF-8" in raw.error and "\\xe9" in raw.body


def test_without_an_app_secret_the_endpoint_is_404_and_the_log_says_why(client, settings, caplog):
    settings.FACEBOOK_APP_SECRET = ""
    with caplog.at_level(logging.WARNING):
        assert client.post(URL, b"{}", content_type="application/json").status_code == 404
        assert client.get(URL, {"hub.mode": "subscribe"}).status_code == 404
    assert "VIGIE_FACEBOOK_APP_SECRET" in caplog.text


def test_no_login_and_no_csrf_token_are_needed(webhook_settings):
    body = fixture("feed__comment_add").encode()
    strict = Client(enforce_csrf_checks=True)
    headers = {"X-Hub-Signature-256": sign(body, APP_SECRET)}
    assert strict.post(URL, body, content_type="application/json", headers=headers).status_code == 200


def test_the_request_only_stores_processing_comes_after(client, webhook_settings):
    body = fixture("feed__comment_add").encode()
    client.post(URL, body, content_type="application/json", headers={"X-Hub-Signature-256": sign(body)})
    assert stored_deliveries().get().status == RawEvent.Status.PENDING and not Message.objects.exists()


def test_the_same_delivery_three_times_is_one_message(deliver):
    for _ in range(3):
        assert deliver(fixture("feed__comment_add")).status_code == 200
    assert RawEvent.objects.count() == 1 and Message.objects.count() == 1


def test_the_same_comment_in_two_deliveries_is_one_message(deliver):
    deliver(fixture("feed__comment_add"))
    deliver(fixture("feed__comment_add").replace('"time": 1707211879', '"time": 1707211999'))  # Meta's retry
    assert RawEvent.objects.count() == 2 and Message.objects.count() == 1


def test_a_delivery_of_a_thousand_changes_is_stored_at_once_and_read_whole(client, webhook_settings):
    def change(n):
        return {"field": "feed", "value": {"item": "comment", "verb": "add", "post_id": "104857600123456_71",
                "comment_id": f"71_{n}", "parent_id": "104857600123456_71", "from": {"id": f"9{n}", "name": "X"},
                "message": f"Commentaire {n}", "created_time": 1795251600 + n}}  # fmt: skip

    entries = [{"id": "104857600123456", "time": 1795252000, "changes": [change(e * 100 + c) for c in range(100)]}
               for e in range(10)]  # fmt: skip
    body = json.dumps({"object": "page", "entry": entries}).encode()
    response = client.post(URL, body, content_type="application/json", headers={"X-Hub-Signature-256": sign(body)})
    assert response.status_code == 200 and stored_deliveries().get().status == RawEvent.Status.PENDING
    assert len({m.external_id for m in payloads.parse(RawEvent.objects.get().body)}) == 1000


def test_messenger_messages_arrive_in_a_conversation(deliver):
    deliver(fixture("messages__text"))
    message = Message.objects.get()
    assert message.kind == "private_message" and message.thread.external_id == "psid:3424692677644577"
    assert message.channel.external_id == "103149398319188"


def test_echoes_and_receipts_make_no_message(deliver):
    for name in ("messages__echo", "messages__read", "messages__delivery", "feed__page_own_comment"):
        deliver(fixture(name))
    assert RawEvent.objects.filter(status=RawEvent.Status.DONE).count() == 4 and not Message.objects.exists()


# --- what the Page's comments go through: edits, removals, hiding -------------------------------------


def test_edits_keep_the_earlier_version(wired):
    post = wired.add_post("Portes ouvertes le 3 décembre")
    comment = wired.add_comment(post, "Quels horaires ?", "Jeanne Dupuis")
    wired.edit_comment(comment, "Quels horaires, et faut-il s'inscrire ?")
    message = Message.objects.get(external_id=comment)
    assert message.edited and message.text == "Quels horaires, et faut-il s'inscrire ?"
    assert list(MessageVersion.objects.values_list("text", flat=True)) == ["Quels horaires ?"]


def test_removals_mark_the_message_removed(wired):
    comment = wired.add_comment(wired.add_post("Portes ouvertes"), "Arnaque !", "Luc Gérard")
    wired.remove_comment(comment)
    assert Message.objects.get(external_id=comment).removed


def test_hide_and_unhide_notices_are_recorded(deliver):
    deliver(fixture("feed__comment_edited"))  # the same comment id as the hide fixture
    deliver(fixture("feed__comment_hide"))
    message = Message.objects.get()
    assert message.hidden_on_platform and message.text == "and the next one"
    deliver(fixture("feed__comment_unhide"))
    message.refresh_from_db()
    assert not message.hidden_on_platform


def test_a_reply_and_its_parent_are_linked(wired):
    post = wired.add_post("Portes ouvertes")
    question = wired.add_comment(post, "C'est où ?", "Jeanne Dupuis")
    answer = wired.add_comment(post, "À Lyon 7e", "Amandine Roche", parent_id=question)
    assert Message.objects.get(external_id=answer).parent == Message.objects.get(external_id=question)


def test_a_fake_message_from_the_public_reaches_the_inbox(wired):
    mid = wired.add_message(None, "Bonjour, reste-t-il des places ?", name="Audrey Lemaître")
    message = Message.objects.get(external_id=mid)
    assert message.thread.external_id == f"psid:{wired.people['Audrey Lemaître'].psid}"


# --- poison deliveries ------------------------------------------------------------------------------


def test_a_timestamp_out_of_range_fails_the_event_and_not_its_batch(client, webhook_settings):
    poison = fixture("feed__comment_add").replace('"created_time": 1707211876', '"created_time": 1e999')
    good = fixture("feed__comment_add").replace("1063824911537852", "1063824911537853")
    ids = []
    for body in (poison, good):
        client.post(URL, body, content_type="application/json", headers={"X-Hub-Signature-256": sign(body.encode())})
    ids = list(stored_deliveries().values_list("id", flat=True))
    from vigie.pipeline import processing

    poisoned, processed = processing.process_batch(ids)
    assert poisoned.status == RawEvent.Status.FAILED and "date" in poisoned.error
    assert processed.status == RawEvent.Status.DONE and Message.objects.count() == 1


def test_a_signed_body_nested_very_deep_is_stored_answered_and_failed_clearly(deliver):
    body = '{"object": "page", "entry": ' + "[" * 100_000 + "]" * 100_000 + "}"
    assert deliver(body).status_code == 200
    raw = RawEvent.objects.get()
    assert raw.status == RawEvent.Status.FAILED and "imbriqué" in raw.error


# --- echoes: the Page's replies sent from another tool meet the deadline ------------------------------


def _question_due(deliver):
    deliver(fixture("messages__text"))
    question = Message.objects.get(kind="private_message")
    Message.objects.filter(pk=question.pk).update(reply_due_at=question.created_at + timedelta(hours=24))
    items.refresh_deadlines([question.item_id])
    return question


def test_an_echo_from_another_tool_is_a_reply_from_the_page_that_meets_the_deadline(deliver, settings):
    settings.FACEBOOK_APP_ID = "1517776481860111"  # Vigie's app; the echo comes from another one
    question = _question_due(deliver)
    deliver(fixture("messages__echo_other_tool"))
    deliver(fixture("messages__echo_other_tool"))  # delivered twice: one reply
    reply = Message.objects.get(kind="reply")
    assert reply.thread_id == question.thread_id and reply.item_id == question.item_id
    assert reply.delivery == Message.Delivery.SENT and reply.text == "Bonjour, voici le programme de la formation."
    question.refresh_from_db()
    assert question.replied_at == reply.created_at and question.sla(reply.created_at + timedelta(days=2)) == "met"
    assert Item.objects.get(pk=question.item_id).status == Status.WAITING


def test_an_echo_of_vigies_own_reply_is_not_kept_twice(deliver, settings):
    settings.FACEBOOK_APP_ID = "1517776481860111"
    _question_due(deliver)
    deliver(fixture("messages__echo"))  # sent with our app id: the outbox recorded it
    assert not Message.objects.filter(kind="reply").exists()
