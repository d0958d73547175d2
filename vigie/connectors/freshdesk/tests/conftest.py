import pytest

from vigie.connectors import registry
from vigie.connectors.fake.freshdesk import FakeFreshdesk
from vigie.connectors.freshdesk import client, connector
from vigie.lib import http


@pytest.fixture(autouse=True)
def registered(monkeypatch):
    """The real connector acts on Freshdesk, whatever another test left in the registry."""
    monkeypatch.setitem(registry.CONNECTORS, "freshdesk", connector.connector)


@pytest.fixture(scope="session")
def freshdesk_server():
    """One local Freshdesk for the session."""
    server = FakeFreshdesk()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def fake_freshdesk(freshdesk_server, settings, monkeypatch):
    freshdesk_server.reset()
    settings.FRESHDESK_API_URL = freshdesk_server.api_url
    monkeypatch.setattr(client, "POLICY", http.Policy(attempts=2, base_delay=0.01, max_wait=1.0))
    return freshdesk_server


@pytest.fixture
def api(fake_freshdesk):
    return client.FreshdeskClient("ahtma", fake_freshdesk.api_key)
