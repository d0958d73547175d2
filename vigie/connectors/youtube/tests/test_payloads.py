"""One test per captured payload shape (fixtures/<event>__<variant>.json)."""

from datetime import UTC, datetime

import httpx
import pytest

from vigie.connectors.base import ParseError
from vigie.connectors.youtube import client, payloads
from vigie.connectors.youtube.tests.conftest import fixture
from vigie.lib.http import ConnectorError, RetryLater

THREAD = "UgzQv8Mk1RrV3bH5cO94AaABAg"


def parsed(name: str):
    return payloads.parse(fixture(name))


def check(name: str, status: int):
    return client.check(httpx.Response(status, content=fixture(name).encode()))


def test_comment_threads__page():
    first, second = parsed("comment_threads__page")
    assert (first.external_id, first.thread_external_id, first.parent_external_id) == (
        "UgxISZhP_62DIrtv2r94AaABAg", "7ghhRHRP6t4", None)  # fmt: skip
    assert (first.author_external_id, first.author_name) == ("UCP22MyBntbNASpmy3aC4sdw", "Amit Sharma")
    assert first.text == "Nobody's love ... Song title made me die from laughter"  # textOriginal, not the HTML
    assert first.created_at == datetime(2022, 12, 17, 4, 19, 11, tzinfo=UTC)
    assert first.permalink == "https://www.youtube.com/watch?v=7ghhRHRP6t4&lc=UgxISZhP_62DIrtv2r94AaABAg"
    assert (second.text, second.post.permalink) == (
        "Kratos smoke weed. Lol",
        "https://www.youtube.com/watch?v=7ghhRHRP6t4",
    )


def test_comment_threads__with_replies():
    top, reply = parsed("comment_threads__with_replies")  # the channel's own reply is left out
    assert (top.external_id, top.text) == (THREAD, "La formation est-elle accessible à distance ?")
    assert (reply.external_id, reply.parent_external_id, reply.author_name) == (
        f"{THREAD}.AJmJ9aB7cDe1f2GhI3jKlM", THREAD, "Julien R.")  # fmt: skip


def test_comments__replies():
    [reply] = parsed("comments__replies")  # no videoId in the snippet: the wrapper's video is used
    assert (reply.parent_external_id, reply.thread_external_id, reply.text) == (THREAD, "Hq3mY7pZk2s", "Et le tarif ?")


def test_error__quota_exceeded():
    with pytest.raises(RetryLater, match="Quota YouTube du jour atteint") as caught:
        check("error__quota_exceeded", 403)
    assert caught.value.retry_after == pytest.approx(client.seconds_until_reset(), abs=5)


def test_error__auth():
    with pytest.raises(ConnectorError, match="Jeton YouTube expiré ou révoqué : reconnectez la chaîne") as caught:
        check("error__auth", 401)
    assert caught.value.reconnect


def test_error__comments_disabled():
    with pytest.raises(ConnectorError, match="les commentaires sont désactivés sur cette vidéo") as caught:
        check("error__comments_disabled", 403)
    assert caught.value.permanent and not caught.value.reconnect


@pytest.mark.parametrize(
    "status, reason, permanent, text",
    [(403, "rateLimitExceeded", False, "limite le rythme"), (403, "userRateLimitExceeded", False, "limite le rythme"),
     (403, "forbidden", True, "droits insuffisants"), (404, "commentNotFound", True, "Introuvable sur YouTube"),
     (404, "videoNotFound", True, "vidéo introuvable"), (400, "banWithoutReject", True, "bannissement"),
     (503, "backendError", False, "YouTube indisponible")],
)  # fmt: skip
def test_each_error_reason_says_what_happened_in_french(status, reason, permanent, text):
    body = {"error": {"code": status, "message": reason, "errors": [{"reason": reason, "domain": "youtube"}]}}
    with pytest.raises(ConnectorError, match=text) as caught:
        client.check(httpx.Response(status, json=body))
    assert caught.value.permanent is permanent


def test_a_webhook_for_youtube_is_unreadable_no_push_exists():
    with pytest.raises(ParseError, match="aucun connecteur"):
        payloads.parse('{"object": "page"}')


def test_unreadable_json_is_reported():
    with pytest.raises(ParseError, match="JSON illisible"):
        payloads.parse("{pas du json")
