"""The local LinkedIn behaves as platform-apis.md §2 says LinkedIn does."""

import hashlib
import hmac
import json
from urllib.parse import quote

import httpx
import pytest

from vigie.connectors.linkedin import client
from vigie.connectors.linkedin.connector import poll_channel
from vigie.inbox import actions
from vigie.inbox.models import Message, Thread
from vigie.ingestion.models import RawEvent
from vigie.moderation import outbox
from vigie.moderation.models import PlatformAction

HEADERS = {"LinkedIn-Version": client.API_VERSION, "X-Restli-Protocol-Version": "2.0.0"}


@pytest.fixture
def api(fake_linkedin):
    """get(path, **headers) with the right headers unless told otherwise."""

    def _get(path, **overrides):
        headers = {"Authorization": f"Bearer {fake_linkedin.token}", **HEADERS, **overrides}
        return httpx.get(fake_linkedin.api_url + path, headers={k: v for k, v in headers.items() if v is not None})

    return _get


def comments_path(urn):
    return f"/socialActions/{quote(urn, safe='')}/comments"


def test_it_insists_on_the_token_the_version_and_the_protocol(fake_linkedin, api):
    post = fake_linkedin.add_post()
    assert api(comments_path(post)).status_code == 200
    assert api(comments_path(post), Authorization="Bearer autre").json()["code"] == "INVALID_ACCESS_TOKEN"
    assert api(comments_path(post), **{"LinkedIn-Version": None}).status_code == 426
    assert api(comments_path(post), **{"X-Restli-Protocol-Version": None}).status_code == 400


def test_urns_in_paths_must_be_encoded(fake_linkedin, api):
    post = fake_linkedin.add_post()
    refused = api(f"/socialActions/{post}/comments")
    assert refused.status_code == 400 and refused.json()["message"] == "Syntax exception in path variables"


def test_comments_come_in_restli_pages_with_a_next_link(fake_linkedin, api):
    post = fake_linkedin.add_post()
    for n in range(3):
        fake_linkedin.add_comment(post, f"Commentaire {n}")
    first = api(comments_path(post) + "?start=0&count=2").json()
    assert [e["message"]["text"] for e in first["elements"]] == ["Commentaire 0", "Commentaire 1"]
    assert first["paging"]["links"][0]["rel"] == "next" and "total" not in first["paging"]
    element = first["elements"][0]
    assert element["commentUrn"] == f"urn:li:comment:({element['object']},{element['id']})"
    assert element["object"].startswith("urn:li:activity:") and isinstance(element["created"]["time"], int)
    last = api(comments_path(post) + "?start=2&count=2").json()
    assert len(last["elements"]) == 1 and last["paging"]["links"] == []


def test_faults_answer_with_linkedins_envelopes(fake_linkedin, api):
    fake_linkedin.faults.expired_token = True
    assert api("/posts").json() == {"status": 401, "serviceErrorCode": 65601, "code": "EXPIRED_ACCESS_TOKEN",
                                    "message": "The token used in the request has expired"}  # fmt: skip
    fake_linkedin.faults.expired_token, fake_linkedin.faults.rate_limited = False, True
    throttled = api("/posts")
    assert throttled.status_code == 429 and "Retry-After" not in throttled.headers


def test_notifications_are_signed_batched_by_ten_and_turned_into_messages(fake_linkedin, live_server):
    fake_linkedin.webhook_url = f"{live_server.url}/webhooks/linkedin"
    fake_linkedin.hold_notifications = True
    post = fake_linkedin.add_post()
    urns = [fake_linkedin.add_comment(post, f"Commentaire n° {n}") for n in range(12)]
    fake_linkedin.like(post)
    fake_linkedin.flush_notifications()
    assert [(status, len(ids)) for status, ids in fake_linkedin.deliveries] == [(200, 10), (200, 2), (200, 1)]
    fake_linkedin.hold_notifications = False
    fake_linkedin.edit_comment(urns[0], "Commentaire corrigé")
    fake_linkedin.remove_comment(urns[1])
    assert Message.objects.count() == 12 and RawEvent.objects.filter(status="done").count() == 5
    assert Message.objects.get(external_id=urns[0]).text == "Commentaire corrigé"
    assert Message.objects.get(external_id=urns[1]).removed


def test_the_signature_is_the_hmac_of_the_prefixed_body(fake_linkedin):
    body = json.dumps({"type": "ORGANIZATION_SOCIAL_ACTION_NOTIFICATIONS", "notifications": []}).encode()
    expected = hmac.new(fake_linkedin.client_secret.encode(), b"hmacsha256=" + body, hashlib.sha256).hexdigest()
    assert fake_linkedin.sign(body) == expected


def test_a_comment_seen_by_webhook_then_by_polling_is_one_message_in_one_thread(fake_linkedin, live_server, page):
    fake_linkedin.webhook_url = f"{live_server.url}/webhooks/linkedin"
    post = fake_linkedin.add_post()
    question = fake_linkedin.add_comment(post, "Quelles sont les dates ?")
    fake_linkedin.add_comment(question, "Et les tarifs ?")
    poll_channel(page.pk)
    assert Message.objects.count() == 2 and Thread.objects.get().external_id == post


def test_a_reply_that_came_by_webhook_is_acted_on_under_its_parent(fake_linkedin, live_server, page, cm):
    """Notifications do not name a reply's parent: LinkedIn's listing does."""
    fake_linkedin.webhook_url = f"{live_server.url}/webhooks/linkedin"
    post = fake_linkedin.add_post()
    question = fake_linkedin.add_comment(post, "Quelles sont les dates ?")
    spam = fake_linkedin.add_comment(question, "Promo sur mes formations, voir mon profil")
    follow_up = fake_linkedin.add_comment(question, "Et les tarifs ?")
    actions.compose_reply(Thread.objects.get(), "Ils sont sur le site.", by=cm,
                          in_reply_to=Message.objects.get(external_id=follow_up))  # fmt: skip
    PlatformAction.objects.create(channel=page, verb="delete", target_message=Message.objects.get(external_id=spam),
                                  dedup_key="delete:spam")  # fmt: skip
    for action in PlatformAction.objects.order_by("id"):
        outbox.run(action.pk)
    assert set(PlatformAction.objects.values_list("status", flat=True)) == {"done"}
    assert fake_linkedin.comments[fake_linkedin.created[0]].parent == question
    assert fake_linkedin.deleted == [spam] and fake_linkedin.visible(question)
