import hashlib
import hmac
import json
import logging

import pytest
from django.test import Client

from vigie.connectors.linkedin.tests.conftest import fixture
from vigie.connectors.linkedin.webhooks import CHALLENGES_PER_MINUTE
from vigie.connectors.tests.support import stored_deliveries
from vigie.inbox.models import Message
from vigie.ingestion.models import RawEvent

pytestmark = pytest.mark.django_db

SECRET = "secret-client-linkedin"
URL = "/webhooks/linkedin"


@pytest.fixture(autouse=True)
def client_secret(settings):
    settings.LINKEDIN_CLIENT_SECRET = SECRET


def signature(body: bytes) -> str:
    return hmac.new(SECRET.encode(), b"hmacsha256=" + body, hashlib.sha256).hexdigest()


def deliver(client, body: bytes, header: str | None = "valid"):
    headers = {} if header is None else {"HTTP_X_LI_SIGNATURE": signature(body) if header == "valid" else header}
    return client.post(URL, data=body, content_type="application/json", **headers)


@pytest.fixture
def delivered(client, django_capture_on_commit_callbacks):
    """deliver(name or bytes) as LinkedIn would, with the queued processing run after commit."""

    def _deliver(body):
        body = fixture(body).encode() if isinstance(body, str) else body
        with django_capture_on_commit_callbacks(execute=True):
            return deliver(client, body)

    return _deliver


def test_the_validation_challenge_is_answered_with_the_hmac_of_the_code(client):
    code = "890e4665-4dfe-4ab1-b689-ed553bceeed0"
    response = client.get(URL, {"challengeCode": code})
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    expected = hmac.new(SECRET.encode(), code.encode(), hashlib.sha256).hexdigest()
    assert response.json() == {"challengeCode": code, "challengeResponse": expected}


def test_a_challenge_without_a_code_is_a_bad_request(client):
    assert client.get(URL).status_code == 400


def test_it_refuses_a_challenge_that_is_not_a_uuid(client):
    response = client.get(URL, {"challengeCode": "pas-un-uuid"})
    assert response.status_code == 400 and "challengeResponse" not in response.content.decode()


def test_it_refuses_to_sign_a_body_passed_off_as_a_challenge(client):
    body = fixture("notification__comment").encode()
    answer = client.get(URL, {"challengeCode": "hmacsha256=" + body.decode()})
    stolen = answer.json().get("challengeResponse", "") if answer["Content-Type"] == "application/json" else ""
    assert deliver(client, body, stolen).status_code == 403
    assert not RawEvent.objects.exists() and not Message.objects.exists()


def test_it_limits_the_challenges_one_address_may_ask_for(client):
    code = "890e4665-4dfe-4ab1-b689-ed553bceeed0"
    answers = [client.get(URL, {"challengeCode": code}).status_code for _ in range(CHALLENGES_PER_MINUTE + 1)]
    assert answers == [200] * CHALLENGES_PER_MINUTE + [429]
    other = Client(REMOTE_ADDR="192.0.2.7")
    assert other.get(URL, {"challengeCode": code}).status_code == 200


def test_a_signed_notification_is_stored_answered_and_then_processed(delivered):
    response = delivered("notification__comment")
    assert response.status_code == 200
    raw = RawEvent.objects.get()
    assert (raw.source, raw.platform, raw.status) == ("webhook", "linkedin", RawEvent.Status.DONE)
    message = Message.objects.get()
    assert message.text == "Quelles sont les dates exactes de la session d'avril ?"
    assert message.thread.channel.external_id == "urn:li:organization:96072893"


def test_nothing_is_parsed_during_the_request(client):
    body = fixture("notification__comment").encode()
    assert deliver(client, body).status_code == 200  # the queued job runs only after commit
    assert stored_deliveries().get().status == RawEvent.Status.PENDING and not Message.objects.exists()


def test_the_prefixed_header_form_is_accepted_too(client):
    body = fixture("notification__comment").encode()
    assert deliver(client, body, "hmacsha256=" + signature(body)).status_code == 200
    assert stored_deliveries().count() == 1


def test_it_rejects_a_bad_signature_and_stores_nothing(client):
    body = fixture("notification__comment").encode()
    assert deliver(client, body, signature(body + b" ")).status_code == 403
    assert deliver(client, body, "hmacsha256=é").status_code == 403
    assert not RawEvent.objects.exists()


def test_it_rejects_a_missing_signature(client):
    assert deliver(client, fixture("notification__comment").encode(), header=None).status_code == 403
    assert not RawEvent.objects.exists()


def test_a_signed_but_unreadable_body_is_kept_as_a_failed_event(delivered):
    assert delivered(b'{"type": "ORGANIZATION_SOCIAL_ACTION_NOTIFICATIONS", ').status_code == 200
    raw = RawEvent.objects.get()
    assert raw.status == RawEvent.Status.FAILED and raw.error.startswith("JSON illisible")


def test_a_signed_body_that_is_not_text_is_failed_at_once(client):
    assert deliver(client, b"\xff\xfe\x00binaire").status_code == 200
    raw = stored_deliveries().get()
    assert raw.status == RawEvent.Status.FAILED and "UTF-8" in raw.error


def test_without_the_client_secret_the_endpoint_is_404_and_the_log_says_why(client, settings, caplog):
    settings.LINKEDIN_CLIENT_SECRET = ""
    with caplog.at_level(logging.WARNING):
        assert client.get(URL, {"challengeCode": "x"}).status_code == 404
        assert deliver(client, b"{}").status_code == 404
    assert "VIGIE_LINKEDIN_CLIENT_SECRET" in caplog.text and not RawEvent.objects.exists()


def test_other_methods_are_not_allowed(client):
    assert client.put(URL).status_code == 405


def test_a_redelivery_is_stored_once(delivered):
    delivered("notification__comment")
    delivered("notification__comment")
    assert RawEvent.objects.count() == 1 and Message.objects.count() == 1


def test_a_notification_repeated_in_another_batch_makes_no_duplicate(delivered):
    batch = json.loads(fixture("notification__comment"))
    batch["notifications"].append(json.loads(fixture("notification__short_activity_urn"))["notifications"][0])
    delivered("notification__comment")
    delivered(json.dumps(batch).encode())
    assert RawEvent.objects.count() == 2 and Message.objects.count() == 1


def test_an_edit_then_a_deletion_update_the_same_message(delivered):
    for name in ("notification__comment", "notification__comment_edit", "notification__comment_delete"):
        delivered(name)
    message = Message.objects.get()
    assert message.edited and message.removed
    assert list(message.versions.values_list("text", flat=True)) == [
        "Quelles sont les dates exactes de la session d'avril ?",
        "Quelles sont les dates exactes de la session d'avril ? Et le tarif ?",
    ]


@pytest.mark.parametrize("name", ["notification__admin_comment", "notification__like"])
def test_ignored_notifications_are_acknowledged_and_make_no_message(delivered, name):
    assert delivered(name).status_code == 200
    assert RawEvent.objects.get().status == RawEvent.Status.DONE and not Message.objects.exists()


def test_a_timestamp_out_of_range_fails_the_event_and_not_its_batch(client):
    batch = json.loads(fixture("notification__comment"))
    batch["notifications"][0]["lastModifiedAt"] = 10**20
    for body in (json.dumps(batch).encode(), fixture("notification__short_activity_urn").encode()):
        assert deliver(client, body).status_code == 200
    from vigie.pipeline import processing

    poisoned, processed = processing.process_batch(list(stored_deliveries().values_list("id", flat=True)))
    assert poisoned.status == RawEvent.Status.FAILED and "lastModifiedAt" in poisoned.error
    assert processed.status == RawEvent.Status.DONE and Message.objects.count() == 1


def test_a_signed_body_nested_very_deep_is_stored_answered_and_failed_clearly(delivered):
    body = (
        b'{"type": "ORGANIZATION_SOCIAL_ACTION_NOTIFICATIONS", "notifications": '
        + b"[" * 100_000
        + b"]" * 100_000
        + b"}"
    )
    assert delivered(body).status_code == 200
    raw = RawEvent.objects.get()
    assert raw.status == RawEvent.Status.FAILED and "imbriqué" in raw.error
