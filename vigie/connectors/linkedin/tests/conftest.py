from pathlib import Path

import pytest

from vigie.connectors.fake.linkedin import FakeLinkedIn
from vigie.connectors.linkedin import client, connector
from vigie.connectors.tests.support import connected_channel, fresh, registered_connector, session_server

FIXTURES = Path(__file__).parent.parent / "fixtures"


def fixture(name: str) -> str:
    return (FIXTURES / f"{name}.json").read_text()


registered = registered_connector("linkedin", connector.connector)
linkedin_server = session_server(FakeLinkedIn)


@pytest.fixture
def fake_linkedin(linkedin_server, settings, monkeypatch):
    return fresh(linkedin_server, monkeypatch, client, settings, LINKEDIN_API_URL=linkedin_server.api_url,
                 LINKEDIN_CLIENT_SECRET=linkedin_server.client_secret)  # fmt: skip


@pytest.fixture
def page(db, fake_linkedin):
    """The centre's LinkedIn page, connected to the local LinkedIn."""
    return connected_channel("linkedin", fake_linkedin.organization, {"access_token": fake_linkedin.token})
