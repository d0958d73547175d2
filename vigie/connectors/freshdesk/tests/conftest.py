import pytest

from vigie.connectors.fake.freshdesk import FakeFreshdesk
from vigie.connectors.freshdesk import client, connector
from vigie.connectors.tests.support import fresh, registered_connector, session_server

registered = registered_connector("freshdesk", connector.connector)
freshdesk_server = session_server(FakeFreshdesk)


@pytest.fixture
def fake_freshdesk(freshdesk_server, settings, monkeypatch):
    return fresh(freshdesk_server, monkeypatch, client, settings, FRESHDESK_API_URL=freshdesk_server.api_url)


@pytest.fixture
def api(fake_freshdesk):
    return client.FreshdeskClient("ahtma", fake_freshdesk.api_key)
