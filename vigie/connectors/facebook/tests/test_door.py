"""The webhooks' door (connectors/door.py): a plain delivery is answered in front of Django, as the view
answers it; anything else goes to Django. Transactional: the door opens and closes connections as a
request does."""

import io
import logging
import sqlite3
from wsgiref.util import setup_testing_defaults

import pytest
from django.db import connection

from vigie.connectors import door
from vigie.connectors.facebook.tests.conftest import fixture, sign
from vigie.inbox.models import Message
from vigie.ingestion.models import RawEvent

pytestmark = pytest.mark.django_db(transaction=True)

URL = "/webhooks/facebook"


class Django:
    """Stands for Django behind the door: says whether a request reached it."""

    def __init__(self):
        self.paths = []

    def __call__(self, environ, start_response):
        self.paths.append(environ["PATH_INFO"])
        start_response("418 I'm a teapot", [])
        return [b"django"]


def call(application, body: bytes = b"", path: str = URL, method: str = "POST", **environ):
    env = {}
    setup_testing_defaults(env)
    env |= {"REQUEST_METHOD": method, "PATH_INFO": path, "HTTP_HOST": "127.0.0.1", "wsgi.input": io.BytesIO(body),
            "CONTENT_LENGTH": str(len(body))} | environ  # fmt: skip
    answer = {}

    def start_response(status, headers):
        answer.update(status=int(status.split()[0]), headers=dict(headers))

    content = b"".join(application(env, start_response))
    return answer["status"], answer["headers"], content


@pytest.fixture
def django():
    return Django()


def test_a_signed_delivery_is_stored_and_processed_without_django(webhook_settings, django):
    body = fixture("feed__comment_add").encode()
    status, headers, content = call(door.with_door(django), body, HTTP_X_HUB_SIGNATURE_256=sign(body))
    assert (status, content, django.paths) == (200, b"EVENT_RECEIVED", [])
    assert headers["Content-Type"] == "text/plain; charset=utf-8" and headers["Content-Length"] == "14"
    assert RawEvent.objects.get().status == RawEvent.Status.DONE and Message.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "signature"),
    [(b'{"object": "page", "entry": []}', None), (b"{}", "sha256=" + "0" * 64), (b"", ""), (b'{"x": "\xe9"}', None)],
)
def test_the_door_answers_as_the_view_does(webhook_settings, client, django, body, signature):
    signature = sign(body) if signature is None else signature
    through_door = call(door.with_door(django), body, HTTP_X_HUB_SIGNATURE_256=signature)
    RawEvent.objects.all().delete()
    view = client.post(URL, body, content_type="application/json", headers={"X-Hub-Signature-256": signature})
    assert (through_door[0], through_door[2]) == (view.status_code, view.content) and django.paths == []


def test_a_linkedin_notification_goes_through_its_door_too(settings, django):
    settings.LINKEDIN_CLIENT_SECRET = "secret-linkedin"
    status, _headers, content = call(door.with_door(django), b"{}", "/webhooks/linkedin", HTTP_X_LI_SIGNATURE="faux")
    assert (status, content, django.paths) == (403, b"Signature invalide.", [])


@pytest.mark.parametrize(
    "unusual",
    [{"method": "GET"}, {"path": "/webhooks/facebookx"}, {"path": "/boite/"}, {"HTTP_HOST": "evil.example"},
     {"CONTENT_LENGTH": ""}, {"CONTENT_LENGTH": "9" * 9}, {"CONTENT_LENGTH": "١٢"}],
)  # fmt: skip
def test_anything_but_a_plain_delivery_goes_to_django(webhook_settings, django, unusual):
    path = unusual.pop("path", URL)
    status, _headers, content = call(door.with_door(django), b"{}", path, **unusual)
    assert (status, content, django.paths) == (418, b"django", [path])


def test_an_unconfigured_platform_is_left_to_django(settings, django):
    settings.FACEBOOK_APP_SECRET = ""
    assert call(door.with_door(django), b"{}")[0] == 418


def test_plain_http_goes_to_django_when_https_is_required(webhook_settings, settings, django):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    body = b"{}"
    assert call(door.with_door(django), body, HTTP_X_HUB_SIGNATURE_256=sign(body))[0] == 418
    assert (
        call(door.with_door(django), body, HTTP_X_HUB_SIGNATURE_256=sign(body), HTTP_X_FORWARDED_PROTO="https")[0]
        == 200
    )


def test_no_health_check_query_but_a_dead_connection_is_replaced(webhook_settings, django, monkeypatch):
    from django.db import DatabaseError, connections

    body = fixture("feed__comment_add").encode()
    call(door.with_door(django), body, HTTP_X_HUB_SIGNATURE_256=sign(body))  # the connection is kept
    wrapper = connections["default"]
    monkeypatch.setattr(wrapper, "health_check_enabled", True)
    checks = []
    monkeypatch.setattr(wrapper, "is_usable", lambda: checks.append(1) or not dead)
    dead = False
    assert call(door.with_door(django), body, HTTP_X_HUB_SIGNATURE_256=sign(body))[0] == 200
    assert checks == []  # no SELECT 1 before the INSERT

    from vigie.ingestion import raw_events

    real, failures = raw_events.store_delivery, []

    def once_dead(*args, **kwargs):
        if not failures:
            failures.append(1)
            raise DatabaseError("server closed the connection unexpectedly")
        return real(*args, **kwargs)

    monkeypatch.setattr(raw_events, "store_delivery", once_dead)
    dead = True
    other = b'{"object": "page", "entry": []}'
    assert call(door.with_door(django), other, HTTP_X_HUB_SIGNATURE_256=sign(other))[0] == 200
    assert checks == [1] and RawEvent.objects.count() == 2


def test_an_error_is_a_logged_500(webhook_settings, django, monkeypatch, caplog):
    def broken(body, signature):
        raise RuntimeError("base indisponible")

    monkeypatch.setattr("vigie.connectors.facebook.webhooks.deliver", broken)
    with caplog.at_level(logging.ERROR):
        status, _headers, content = call(door.with_door(django), b"{}")
    assert (status, content) == (500, b"Erreur interne.") and "base indisponible" in caplog.text


@pytest.mark.skipif(connection.vendor != "sqlite", reason="deliveries go to the journal on SQLite only")
def test_a_journal_that_cannot_be_written_answers_500_so_that_meta_delivers_again(webhook_settings, django, monkeypatch,
                                                                                  caplog):  # fmt: skip
    from vigie.ingestion import journal

    def full(*args, **kwargs):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(journal, "append", full)
    body = fixture("feed__comment_add").encode()
    with caplog.at_level(logging.ERROR):
        status, _headers, content = call(door.with_door(django), body, HTTP_X_HUB_SIGNATURE_256=sign(body))
    assert (status, content) == (500, b"Erreur interne.") and "disk is full" in caplog.text
    assert not RawEvent.objects.exists() and not Message.objects.exists()


def test_gunicorn_serves_the_door_in_front_of_django():
    from vigie import wsgi

    assert wsgi.application.__qualname__ == "with_door.<locals>.application"
