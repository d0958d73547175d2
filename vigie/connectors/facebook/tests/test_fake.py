"""The local Facebook itself: ids, paging, errors, usage headers, Send API rules and signed webhooks,
as platform-apis.md §1 describes them."""

import hashlib
import hmac
import json
import re
import time

import httpx
import pytest

from vigie.connectors.facebook.tests.conftest import APP_SECRET, VERIFY_TOKEN
from vigie.connectors.fake.facebook import top_level_fields
from vigie.ingestion.models import RawEvent

DAY = 86400


@pytest.fixture
def graph(fake):
    """Plain HTTP calls to the local Graph API with the Page token."""
    headers = {"Authorization": f"Bearer {fake.page_token}"}
    base = f"{fake.url}/v21.0"

    class Graph:
        def get(self, path, **params):
            return httpx.get(base + path, params=params, headers=headers)

        def post(self, path, **kwargs):
            return httpx.post(base + path, headers=headers, **kwargs)

        def delete(self, path, **params):
            return httpx.delete(base + path, params=params, headers=headers)

    return Graph()


def error_of(response) -> tuple:
    error = response.json()["error"]
    return error["code"], error.get("error_subcode")


def test_ids_have_the_real_formats(fake):
    post = fake.add_post("Bonjour")
    comment = fake.add_comment(post, "Salut", "Jeanne Dupuis")
    mid = fake.add_message(None, "Bonjour", name="Audrey Lemaître")
    person = fake.people["Audrey Lemaître"]
    assert re.fullmatch(rf"{fake.page_id}_\d{{15}}", post) and comment.startswith(post.split("_")[1] + "_")
    assert person.psid.isdigit() and mid.startswith("m_") and fake.conversations[person.psid].id.startswith("t_")


def test_every_answer_carries_a_usage_header_that_grows_with_traffic(fake, graph):
    fake.usage_step = 5
    first = json.loads(graph.get(f"/{fake.page_id}").headers["X-Business-Use-Case-Usage"])
    later = json.loads(graph.get("/nothing-here").headers["X-Business-Use-Case-Usage"])
    assert first[fake.page_id][0]["type"] == "pages"
    assert later[fake.page_id][0]["call_count"] > first[fake.page_id][0]["call_count"]


def test_comments_are_paged_with_cursors_and_next(fake, graph):
    post = fake.add_post("Bonjour")
    for n in range(5):
        fake.add_comment(post, f"c{n}")
    page = graph.get(f"/{post}/comments", limit=2, filter="stream", order="chronological", summary="true").json()
    seen = [c["message"] for c in page["data"]]
    assert set(page["paging"]["cursors"]) == {"before", "after"} and page["summary"]["total_count"] == 5
    while "next" in page.get("paging", {}):
        page = httpx.get(page["paging"]["next"], headers={"Authorization": f"Bearer {fake.page_token}"}).json()
        seen += [c["message"] for c in page["data"]]
    assert seen == ["c0", "c1", "c2", "c3", "c4"]


def test_reverse_chronological_and_toplevel_filters(fake, graph):
    post = fake.add_post("Bonjour")
    first = fake.add_comment(post, "premier")
    fake.add_comment(post, "réponse", parent_id=first)
    fake.add_comment(post, "second")
    newest_first = graph.get(f"/{post}/comments", order="reverse_chronological").json()["data"]
    assert [c["message"] for c in newest_first] == ["second", "premier"]  # toplevel by default
    assert [c["message"] for c in graph.get(f"/{first}/comments").json()["data"]] == ["réponse"]


def test_a_cursor_whose_comment_was_deleted_still_continues(fake, graph):
    post = fake.add_post("Bonjour")
    ids = [fake.add_comment(post, f"c{n}") for n in range(3)]
    cursor = graph.get(f"/{post}/comments", limit=2).json()["paging"]["cursors"]["after"]
    fake.remove_comment(ids[1])
    assert [c["message"] for c in graph.get(f"/{post}/comments", after=cursor).json()["data"]] == ["c2"]


def test_fields_are_selected_as_asked():
    assert top_level_fields("id,from,messages.limit(20){id,from},comments.filter(stream)") == {
        "id", "from", "messages", "comments"}  # fmt: skip


def test_unknown_objects_answer_code_100(fake, graph):
    response = graph.get("/123_456")
    assert response.status_code == 400 and error_of(response) == (100, 33)
    assert response.json()["error"]["type"] == "GraphMethodException" and "fbtrace_id" in response.json()["error"]


def test_tokens_are_checked(fake):
    assert error_of(httpx.get(f"{fake.url}/v21.0/{fake.page_id}")) == (104, None)
    assert error_of(httpx.get(f"{fake.url}/v21.0/{fake.page_id}", params={"access_token": "faux"})) == (190, None)
    assert httpx.get(f"{fake.url}/v21.0/{fake.page_id}", params={"access_token": fake.page_token}).status_code == 200


def test_faults_answer_like_facebook(fake, graph):
    fake.faults.expired_token = True
    assert error_of(graph.get(f"/{fake.page_id}")) == (190, 463)
    fake.faults.expired_token, fake.faults.rate_limited, fake.regain_minutes = False, True, 9
    throttled = graph.get(f"/{fake.page_id}")
    usage = json.loads(throttled.headers["X-Business-Use-Case-Usage"])[fake.page_id][0]
    assert error_of(throttled) == (80001, None) and usage["call_count"] == 100
    assert usage["estimated_time_to_regain_access"] == 9
    fake.rate_limit_code = 32
    assert error_of(graph.get(f"/{fake.page_id}")) == (32, None)


def test_hide_delete_and_block_keep_their_state(fake, graph):
    post = fake.add_post("Bonjour")
    comment = fake.add_comment(post, "Spam", "Luc Gérard")
    assert graph.post(f"/{comment}", data={"is_hidden": "true"}).json() == {"success": True}
    assert graph.get(f"/{comment}", fields="is_hidden").json() == {"id": comment, "is_hidden": True}
    luc = fake.people["Luc Gérard"].asid
    assert graph.post(f"/{fake.page_id}/blocked", data={"user": json.dumps([luc])}).json() == {luc: True}
    assert graph.get(f"/{fake.page_id}/blocked", user=luc).json()["data"] == [{"id": luc, "name": "Luc Gérard"}]
    assert graph.delete(f"/{comment}").json() == {"success": True}
    assert error_of(graph.get(f"/{comment}")) == (100, 33) and error_of(graph.delete(f"/{comment}")) == (100, 33)
    assert graph.delete(f"/{fake.page_id}/blocked", user=luc).json() == {"success": True} and not fake.blocked
    assert (fake.hides, fake.deletions, fake.blocks) == (1, 1, 1)


def test_a_public_reply_is_listed_under_its_parent_from_the_page(fake, graph):
    comment = fake.add_comment(fake.add_post("Bonjour"), "Tarif ?")
    created = graph.post(f"/{comment}/comments", data={"message": "1 900 €"}).json()
    [reply] = graph.get(f"/{comment}/comments", fields="id,from,message").json()["data"]
    assert reply == {"id": created["id"], "from": {"name": fake.page_name, "id": fake.page_id}, "message": "1 900 €"}
    assert fake.replies_created == 1


def test_the_send_api_keeps_the_24_hour_and_7_day_windows(fake, graph):
    fake.add_message(None, "Bonjour", name="Audrey Lemaître", at=time.time() - 2 * DAY)
    psid = fake.people["Audrey Lemaître"].psid
    body = {"recipient": {"id": psid}, "messaging_type": "RESPONSE", "message": {"text": "Bonjour"}}
    assert error_of(graph.post(f"/{fake.page_id}/messages", json=body)) == (10, 2018278)
    tagged = body | {"messaging_type": "MESSAGE_TAG", "tag": "HUMAN_AGENT"}
    sent = graph.post(f"/{fake.page_id}/messages", json=tagged).json()
    assert sent["recipient_id"] == psid and sent["message_id"].startswith("m_") and fake.messages_sent == 1
    assert error_of(graph.post(f"/{fake.page_id}/messages", json=body | {"recipient": {"id": "42"}})) == (100, 2018001)


def test_a_private_reply_is_allowed_once_within_7_days(fake, graph):
    post = fake.add_post("Bonjour")
    comment = fake.add_comment(post, "Infos ?")
    old = fake.add_comment(post, "Vieux", created_time=time.time() - 8 * DAY)
    body = {"recipient": {"comment_id": comment}, "message": {"text": "Voici"}}
    assert graph.post(f"/{fake.page_id}/messages", json=body).status_code == 200
    assert graph.get(f"/{comment}", fields="can_reply_privately").json()["can_reply_privately"] is False
    assert error_of(graph.post(f"/{fake.page_id}/messages", json=body))[0] == 10900
    late = body | {"recipient": {"comment_id": old}}
    assert error_of(graph.post(f"/{fake.page_id}/messages", json=late))[0] == 10903 and fake.private_replies == 1


def test_conversations_list_the_20_latest_messages(fake, graph):
    for n in range(25):
        fake.add_message(fake.people["Audrey"].psid if n else None, f"m{n}", name="Audrey")
    [conversation] = graph.get(f"/{fake.page_id}/conversations", platform="messenger",
                               fields="id,participants,messages{id,from,message}").json()["data"]  # fmt: skip
    messages = conversation["messages"]["data"]
    assert len(messages) == 20 and messages[0]["message"] == "m24"
    assert {p["id"] for p in conversation["participants"]["data"]} == {fake.people["Audrey"].psid, fake.page_id}


# --- webhooks ------------------------------------------------------------------------------------------


def test_webhooks_are_signed_over_the_exact_bytes_with_non_ascii_escaped(fake):
    received = []
    fake.deliver = lambda body, headers: received.append((body, headers)) or 200
    fake.add_comment(fake.add_post("Journée portes ouvertes"), "Très intéressé 👍", "Zoé")
    body, headers = received[-1]
    assert b"\\u00e9" in body and "é".encode() not in body
    expected = "sha256=" + hmac.new(APP_SECRET.encode(), body, hashlib.sha256).hexdigest()
    assert headers["X-Hub-Signature-256"] == expected
    assert json.loads(body)["entry"][0]["changes"][0]["value"]["message"] == "Très intéressé 👍"


def test_the_pages_own_replies_produce_webhooks_too(fake, graph):
    comment = fake.add_comment(fake.add_post("Bonjour"), "Tarif ?")
    graph.post(f"/{comment}/comments", data={"message": "1 900 €"})
    [payload] = fake.pending_webhooks[-1:]
    value = payload["entry"][0]["changes"][0]["value"]
    assert (value["from"]["id"], value["parent_id"], value["verb"]) == (fake.page_id, comment, "add")


def test_pending_webhooks_can_go_in_one_batch_and_failures_stay_pending(fake):
    fake.add_comment(fake.add_post("Bonjour"), "Un")
    fake.add_message(None, "Deux")
    statuses = iter([500, 200])
    fake.deliver = lambda body, headers: next(statuses)
    assert fake.flush(batch=True) == [500] and len(fake.pending_webhooks) == 1
    assert fake.flush() == [200] and fake.pending_webhooks == []
    assert len(json.loads(fake.webhooks_sent[-1][0])["entry"]) == 3  # post, comment and message


def test_the_handshake_against_vigie(fake, client, webhook_settings):
    get = lambda query: client.get("/webhooks/facebook", query)  # noqa: E731
    assert fake.verify_subscription(VERIFY_TOKEN, get) and not fake.verify_subscription("autre", get)


@pytest.mark.django_db(transaction=True)
def test_webhooks_reach_a_live_vigie_over_http(fake, live_server, webhook_settings):
    fake.webhook_url = f"{live_server.url}/webhooks/facebook"
    fake.add_comment(fake.add_post("Bonjour"), "Bonjour, quelles dates ?")
    assert [status for _, _, status in fake.webhooks_sent] == [200, 200]
    assert RawEvent.objects.filter(source="webhook").count() == 2
