import json
from pathlib import Path

import pytest

from vigie.connectors import registry
from vigie.connectors.fake.linkedin import FakeLinkedIn
from vigie.connectors.linkedin import client, connector
from vigie.ingestion.models import Channel
from vigie.lib import http

FIXTURES = Path(__file__).parent.parent / "fixtures"


def fixture(name: str) -> str:
    return (FIXTURES / f"{name}.json").read_text()


@pytest.fixture(autouse=True)
def registered(monkeypatch):
    """The real connector reads LinkedIn's events, whatever another test left in the registry."""
    monkeypatch.setitem(registry.CONNECTORS, "linkedin", connector.connector)


@pytest.fixture(scope="session")
def linkedin_server():
    """One local LinkedIn for the session (starting and stopping one costs half a second)."""
    server = FakeLinkedIn()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def fake_linkedin(linkedin_server, settings, monkeypatch):
    linkedin_server.reset()
    settings.LINKEDIN_API_URL = linkedin_server.api_url
    settings.LINKEDIN_CLIENT_SECRET = linkedin_server.client_secret
    monkeypatch.setattr(client, "POLICY", http.Policy(attempts=2, base_delay=0.01, max_wait=1.0))
    return linkedin_server


@pytest.fixture
def page(db, fake_linkedin):
    """The centre's LinkedIn page, connected to the local LinkedIn."""
    return Channel.objects.create(
        platform="linkedin",
        external_id=fake_linkedin.organization,
        name="AHTMA Formation",
        status=Channel.Status.CONNECTED,
        credentials=json.dumps({"access_token": fake_linkedin.token}),
    )
