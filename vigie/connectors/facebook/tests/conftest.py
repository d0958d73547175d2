import hashlib
import hmac
import json
from pathlib import Path

import httpx
import pytest

from vigie.connectors import registry
from vigie.connectors.facebook import client
from vigie.connectors.facebook import connector as facebook
from vigie.connectors.fake.facebook import FakeFacebook
from vigie.ingestion.models import Channel
from vigie.lib import http

FIXTURES = Path(__file__).parent.parent / "fixtures"
APP_SECRET = "secret-d-application-de-test"
VERIFY_TOKEN = "jeton-de-verification"


def fixture(name: str) -> str:
    return (FIXTURES / f"{name}.json").read_text()


def sign(body: bytes, secret: str = APP_SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


@pytest.fixture(autouse=True)
def facebook_connector(monkeypatch):
    """The real Facebook connector is the registered one (other tests swap in their own)."""
    monkeypatch.setitem(registry.CONNECTORS, "facebook", facebook.connector)


@pytest.fixture(autouse=True)
def quick_client(monkeypatch):
    monkeypatch.setattr(client, "POLICY", http.Policy(attempts=3, base_delay=0.01, timeout=httpx.Timeout(5.0)))
    monkeypatch.setattr(facebook, "SLOW_DOWN_SECONDS", 0.0)


@pytest.fixture(scope="session")
def facebook_server():
    """One local Facebook per test process (stopping a server costs half a second)."""
    server = FakeFacebook(app_secret=APP_SECRET)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def fake(facebook_server, settings):
    facebook_server.reset()
    settings.FACEBOOK_GRAPH_URL = f"{facebook_server.url}/v21.0"
    yield facebook_server
    facebook_server.wait_idle()


@pytest.fixture
def channel(db, fake):
    """The centre's Page, connected to the local Facebook."""
    return Channel.objects.create(
        platform="facebook",
        external_id=fake.page_id,
        name="AHTMA Formation",
        status=Channel.Status.CONNECTED,
        credentials=json.dumps({"page_access_token": fake.page_token}),
    )


@pytest.fixture
def webhook_settings(settings):
    settings.FACEBOOK_APP_SECRET = APP_SECRET
    settings.FACEBOOK_VERIFY_TOKEN = VERIFY_TOKEN


@pytest.fixture
def deliver(db, client, webhook_settings, django_capture_on_commit_callbacks):
    """POST a body to /webhooks/facebook as Meta does (signed unless headers are given); the jobs queued
    after commit run at once."""

    def _deliver(body: bytes | str, headers: dict | None = None):
        body = body.encode() if isinstance(body, str) else body
        headers = {"X-Hub-Signature-256": sign(body)} if headers is None else headers
        with django_capture_on_commit_callbacks(execute=True):
            return client.post("/webhooks/facebook", body, content_type="application/json", headers=headers)

    return _deliver


@pytest.fixture
def wired(fake, deliver):
    """The local Facebook's webhooks reach Vigie (through Django's test client)."""
    fake.deliver = lambda body, headers: deliver(body, headers).status_code
    return fake
