"""Freshdesk API v2 (platform-apis.md §5) through the client, against the local Freshdesk."""

import base64
import json
from datetime import timedelta

import httpx
import pytest
from django.utils import timezone

from vigie.connectors.freshdesk.client import FreshdeskClient, agent_url, api_url
from vigie.lib.http import ConnectorError, RetryLater

TICKET = {
    "unique_external_id": "facebook:psid-1",
    "name": "Chloé Rousseau",
    "subject": "Report de session",
    "description": "<p>Bonjour</p>",
    "priority": 2,
    "status": 2,
    "tags": ["vigie"],
}


def test_the_api_is_the_accounts_https_address_unless_settings_say_otherwise(settings):
    settings.FRESHDESK_API_URL = ""
    assert api_url("ahtma") == "https://ahtma.freshdesk.com/api/v2"
    assert agent_url("ahtma", 12) == "https://ahtma.freshdesk.com/a/tickets/12"


def test_a_ticket_is_created_with_basic_auth_and_read_back(api, fake_freshdesk):
    created = api.create_ticket(TICKET)
    assert created["id"] == fake_freshdesk.created[0] and created["status"] == 2 and created["tags"] == ["vigie"]
    assert api.ticket(created["id"])["subject"] == "Report de session"
    assert api.update_ticket(created["id"], {"status": 4})["status"] == 4


def test_a_private_note_is_added(api, fake_freshdesk):
    ticket = api.create_ticket(TICKET)
    note = api.add_note(ticket["id"], "<p>Issue : report accepté</p>")
    assert note["private"] is True and note["ticket_id"] == ticket["id"]
    assert [n["id"] for n in api.conversations(ticket["id"])] == [note["id"]]


def test_a_short_retry_after_is_waited_for_within_the_same_read(api, fake_freshdesk):
    ticket = api.create_ticket(TICKET)
    fake_freshdesk.throttle_next = 1  # 429 with Retry-After: 1, within what a worker waits
    assert api.ticket(ticket["id"])["id"] == ticket["id"]
    assert fake_freshdesk.calls.count(("GET", f"/api/v2/tickets/{ticket['id']}")) == 1


def test_a_long_retry_after_is_handed_back_to_the_caller(api, fake_freshdesk):
    fake_freshdesk.throttle_next, fake_freshdesk.retry_after = 1, "45"
    with pytest.raises(RetryLater) as later:
        api.create_ticket(TICKET)
    assert later.value.retry_after == 45 and fake_freshdesk.created == []


def test_a_post_is_never_sent_twice_within_one_attempt(api, fake_freshdesk):
    fake_freshdesk.faults.error_rate = 1.0  # every answer is a 500: was the note added or not?
    with pytest.raises(RetryLater):
        api.add_note(1, "<p>note</p>")
    assert fake_freshdesk.received == 1


def test_every_page_is_read(api, fake_freshdesk):
    for _ in range(105):
        api.create_ticket(TICKET)
    listed = list(api.tickets_updated_since(timezone.now() - timedelta(hours=1)))
    assert len({t["id"] for t in listed}) == 105
    assert fake_freshdesk.calls.count(("GET", "/api/v2/tickets")) == 2


def test_a_next_page_on_another_host_is_refused(api, fake_freshdesk, monkeypatch):
    api.create_ticket(TICKET)
    real = fake_freshdesk._page

    def elsewhere(request, rows, path):
        response = real(request, rows, path)
        response.headers["Link"] = '<https://evil.example/api/v2/tickets?page=2>; rel="next"'
        return response

    monkeypatch.setattr(fake_freshdesk, "_page", elsewhere)
    with pytest.raises(ConnectorError, match="lien de page suivante inattendu"):
        list(api.tickets_updated_since(timezone.now() - timedelta(hours=1)))


def test_freshdesk_errors_become_clear_french_errors(api, fake_freshdesk):
    with pytest.raises(ConnectorError) as missing:
        api.create_ticket({"subject": "Sans demandeur", "description": "x"})
    assert missing.value.permanent and not missing.value.reconnect
    assert "requester_id : champ manquant" in str(missing.value)
    with pytest.raises(ConnectorError, match="status : valeur refusée"):
        api.create_ticket(TICKET | {"status": 9})
    with pytest.raises(ConnectorError, match="priorty : champ inconnu"):
        api.create_ticket(TICKET | {"priorty": 2})
    with pytest.raises(ConnectorError, match=r"\(404\)"):
        api.ticket(999999)


def test_a_wrong_key_asks_to_reconnect(fake_freshdesk):
    with pytest.raises(ConnectorError) as refused:
        FreshdeskClient("ahtma", "mauvaise-cle").ticket(1)
    assert refused.value.reconnect and "invalid_credentials" in str(refused.value)


# --- the fake itself follows Freshdesk ------------------------------------------------------------


def _raw(fake, method, path, **kwargs):
    auth = "Basic " + base64.b64encode(f"{fake.api_key}:X".encode()).decode()
    return httpx.request(
        method, fake.api_url + path, headers={"Authorization": auth} | kwargs.pop("headers", {}), **kwargs
    )


def test_the_fake_sends_rate_limit_headers_and_refuses_past_the_minutes_budget(fake_freshdesk):
    fake_freshdesk.per_minute = 3
    answers = [_raw(fake_freshdesk, "GET", "/tickets") for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert answers[0].headers["X-Ratelimit-Total"] == "3" and answers[1].headers["X-Ratelimit-Remaining"] == "1"
    assert answers[3].headers["Retry-After"] == "1"


def test_the_fake_wants_json_and_pages_of_at_most_100(fake_freshdesk):
    form = _raw(
        fake_freshdesk,
        "POST",
        "/tickets",
        content="subject=x",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert form.status_code == 415 and form.json()["code"] == "unsupported_content_type"
    broken = _raw(fake_freshdesk, "POST", "/tickets", content="{", headers={"Content-Type": "application/json"})
    assert broken.status_code == 400 and broken.json()["errors"][0]["code"] == "invalid_json"
    assert _raw(fake_freshdesk, "GET", "/tickets", params={"per_page": 101}).status_code == 400


def test_the_fake_refuses_a_call_without_the_key(fake_freshdesk):
    answer = httpx.get(fake_freshdesk.api_url + "/tickets")
    assert answer.status_code == 401 and answer.json() == {
        "code": "invalid_credentials",
        "message": "You have to be logged in to perform this action.",
    }
    assert json.loads(_raw(fake_freshdesk, "GET", "/tickets").content) == []
