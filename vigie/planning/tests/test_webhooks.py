"""/webhooks/monday: the challenge echoed, events authenticated (JWT), then the item re-read."""

import json
import time

import jwt
import pytest
from django.urls import reverse

from vigie.connectors.fake.monday import SIGNING_SECRET
from vigie.planning import sync
from vigie.planning.models import PlannedPost
from vigie.planning.tests.conftest import values

pytestmark = pytest.mark.django_db
URL = "/webhooks/monday"


@pytest.fixture
def secret(settings, fake_monday):
    settings.MONDAY_SIGNING_SECRET = fake_monday.signing_secret
    settings.VIGIE_BASE_URL = "http://testserver"
    return fake_monday.signing_secret


@pytest.fixture
def followed(board, fake_monday, monday_board):
    item = fake_monday.add_item(monday_board, "Portes ouvertes", values())
    sync.sync(board)
    board.refresh_from_db()
    return item


def post(client, body, token=None):
    headers = {"HTTP_AUTHORIZATION": token} if token else {}
    return client.post(URL, json.dumps(body), content_type="application/json", **headers)


def test_the_challenge_is_echoed(client, secret):
    response = post(client, {"challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"})
    assert response.status_code == 200
    assert response.json() == {"challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"}


def test_an_authenticated_event_re_reads_its_item(client, secret, fake_monday, followed,
                                                   django_capture_on_commit_callbacks):  # fmt: skip
    fake_monday.change_values(followed, {"text_mksujet": "Sujet changé sur monday"})
    body = fake_monday.event(followed)
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, body, fake_monday.authorization("http://testserver" + URL))
    assert response.status_code == 200 and response.json() == {"queued": followed}
    assert PlannedPost.objects.get().subject == "Sujet changé sur monday"  # jobs run at once in tests


def test_a_deleted_item_leaves_the_planning_on_its_event(client, secret, fake_monday, followed,
                                                         django_capture_on_commit_callbacks):  # fmt: skip
    fake_monday.delete_item(followed)
    with django_capture_on_commit_callbacks(execute=True):
        post(client, fake_monday.event(followed, "delete_pulse"), fake_monday.authorization("http://testserver" + URL))
    planned = PlannedPost.objects.get()
    assert planned.removed_reason == "deleted" and planned.versions.count() == 2


@pytest.mark.parametrize(
    "token",
    [
        None,
        "not-a-jwt",
        jwt.encode(
            {"exp": int(time.time()) + 60, "aud": "http://testserver" + URL},
            "a-wrong-secret-of-thirty-two-bytes-or-more",
            algorithm="HS256",
        ),
        jwt.encode({"exp": int(time.time()) - 60}, SIGNING_SECRET, algorithm="HS256"),
        jwt.encode(
            {"exp": int(time.time()) + 60, "aud": "https://elsewhere.example/hook"}, SIGNING_SECRET, algorithm="HS256"
        ),  # fmt: skip
        jwt.encode({"aud": "http://testserver" + URL}, SIGNING_SECRET, algorithm="HS256"),  # no exp
    ],
    ids=["missing", "garbage", "a-wrong-secret-of-thirty-two-bytes-or-more", "expired", "other-audience", "no-expiry"],
)
def test_an_event_that_is_not_monday_s_is_refused(client, secret, fake_monday, followed, token,
                                                  django_capture_on_commit_callbacks):  # fmt: skip
    fake_monday.change_values(followed, {"text_mksujet": "Ne doit pas passer"})
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, fake_monday.event(followed), token)
    assert response.status_code == 403
    assert PlannedPost.objects.get().subject != "Ne doit pas passer"


def test_a_token_without_audience_is_accepted_when_signed(client, secret, fake_monday, followed):
    token = jwt.encode({"exp": int(time.time()) + 60}, secret, algorithm="HS256")
    assert post(client, fake_monday.event(followed), token).status_code == 200


def test_events_of_other_boards_and_without_items_are_ignored(client, secret, fake_monday, followed):
    token = fake_monday.authorization("http://testserver" + URL)
    other = fake_monday.event(followed)
    other["event"]["boardId"] = 1
    assert post(client, other, token).json() == {"ignored": "board not connected"}
    assert post(client, {"event": {"type": "create_update", "boardId": 1}}, token).json()["ignored"]


def test_without_the_signing_secret_the_webhook_is_off(client, settings):
    settings.MONDAY_SIGNING_SECRET = ""
    assert post(client, {"challenge": "x"}).status_code == 404


def test_a_broken_body_is_a_400(client, secret):
    assert client.post(URL, "{not json", content_type="application/json").status_code == 400
    assert post(client, {"challenge": 12}).status_code == 400


def test_the_fake_does_monday_s_handshake_against_vigie(live_server, settings, fake_monday):
    settings.MONDAY_SIGNING_SECRET = fake_monday.signing_secret
    assert fake_monday.register_webhook(live_server.url + reverse("webhook-monday"))
