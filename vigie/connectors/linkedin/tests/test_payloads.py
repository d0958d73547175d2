"""One test per captured payload shape (fixtures/<event>__<variant>.json)."""

import json
from datetime import UTC, datetime

import httpx
import pytest

from vigie.connectors.base import ParseError
from vigie.connectors.linkedin import client, payloads
from vigie.connectors.linkedin.tests.conftest import fixture
from vigie.lib.http import ConnectorError

COMMENT = "urn:li:comment:(urn:li:activity:7094637247890620418,7094977717598625792)"
SHARE = "urn:li:share:7094637247487995904"


def parsed(name: str):
    return payloads.parse(fixture(name))


def test_comments__page():
    first, second = parsed("comments__page")  # the organisation's own comment is left out
    assert (first.external_id, first.text) == (
        "urn:li:comment:(urn:li:ugcPost:123456789,123456789)",
        "What a lovely event!",
    )
    assert (first.thread_external_id, first.post.text[:24]) == ("urn:li:ugcPost:123456789", "Journée portes ouvertes ")
    assert (first.author_external_id, first.author_name) == ("urn:li:person:Ylpq-RobP9", "Membre LinkedIn Ylpq-R")
    assert not first.author_name_known  # a stand-in: LinkedIn embeds no name
    assert first.created_at == datetime(2019, 5, 20, 19, 41, 10, 695000, tzinfo=UTC)
    assert (second.external_id, second.parent_external_id) == (COMMENT, None)
    assert second.permalink.startswith(
        "https://www.linkedin.com/feed/update/urn:li:activity:7094637247890620418/?commentUrn="
    )


def test_comments__reply_nested():
    [reply] = parsed("comments__reply_nested")
    assert (reply.parent_external_id, reply.thread_external_id) == (COMMENT, "urn:li:ugcPost:123456789")


def test_notification__comment():
    [message] = parsed("notification__comment")
    assert (message.external_id, message.thread_external_id, message.channel_external_id) == (
        COMMENT, SHARE, "urn:li:organization:96072893")  # fmt: skip
    assert (message.text, message.author_external_id) == ("Quelles sont les dates exactes de la session d'avril ?",
                                                          "urn:li:person:zLqTygBP8S")  # fmt: skip
    assert message.created_at == datetime(2023, 8, 9, 9, 48, 26, 310000, tzinfo=UTC) and not message.removed


def test_notification__comment_edit():
    assert parsed("notification__comment_edit")[0].text.endswith("Et le tarif ?")


def test_notification__comment_delete():
    assert [(m.external_id, m.removed, m.text) for m in parsed("notification__comment_delete")] == [(COMMENT, True, "")]


def test_notification__admin_comment():
    assert parsed("notification__admin_comment") == []


def test_notification__like():
    assert parsed("notification__like") == []


def test_notification__short_activity_urn():
    [message] = parsed("notification__short_activity_urn")  # `(activity:…,…)` and `.message.text`
    assert (message.external_id, message.text) == (COMMENT, "Quelles sont les dates exactes de la session d'avril ?")


def test_error__401():
    response = httpx.Response(401, content=fixture("error__401").encode())
    with pytest.raises(ConnectorError) as caught:
        client.check(response)
    assert caught.value.reconnect and "Jeton LinkedIn expiré ou révoqué : reconnectez la page" in str(caught.value)
    assert "Empty oauth2_access_token" in str(caught.value)


@pytest.mark.parametrize("action", sorted(payloads.IGNORED))
def test_ignored_actions_make_no_message(action):
    body = json.loads(fixture("notification__comment"))
    body["notifications"][0]["action"] = action
    assert payloads.parse(json.dumps(body)) == [] and payloads.IGNORED[action]


def test_an_unknown_action_is_a_visible_failure_not_a_silent_drop():
    body = json.loads(fixture("notification__comment"))
    body["notifications"][0]["action"] = "REPOST"
    with pytest.raises(ParseError, match="action LinkedIn inconnue : 'REPOST'"):
        payloads.parse(json.dumps(body))


@pytest.mark.parametrize(
    "body, error",
    [("{pas du json", "JSON illisible"), ("[]", "objet JSON"), ('{"type": "X"}', "événement LinkedIn inconnu"),
     ('{"vigie_poll": "comments"}', "incomplète")],
)  # fmt: skip
def test_unreadable_bodies_say_why_in_french(body, error):
    with pytest.raises(ParseError, match=error):
        payloads.parse(body)


def test_comment_urns_are_canonical():
    assert payloads.comment_urn("urn:li:comment:(activity:1,2)") == "urn:li:comment:(urn:li:activity:1,2)"
    assert payloads.split_comment_urn(COMMENT) == ("urn:li:activity:7094637247890620418", "7094977717598625792")
    with pytest.raises(ParseError):
        payloads.comment_urn("urn:li:share:1")
