import json
from pathlib import Path

import pytest

from vigie.connectors import registry
from vigie.connectors.fake.youtube import FakeYouTube
from vigie.connectors.youtube import client, connector
from vigie.ingestion.models import Channel
from vigie.lib import http

FIXTURES = Path(__file__).parent.parent / "fixtures"


def fixture(name: str) -> str:
    return (FIXTURES / f"{name}.json").read_text()


@pytest.fixture(autouse=True)
def registered(monkeypatch):
    """The real connector reads YouTube's pages, whatever another test left in the registry."""
    monkeypatch.setitem(registry.CONNECTORS, "youtube", connector.connector)


@pytest.fixture(scope="session")
def youtube_server():
    """One local YouTube for the session (starting and stopping one costs half a second)."""
    server = FakeYouTube()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def fake_youtube(youtube_server, settings, monkeypatch):
    youtube_server.reset()
    settings.YOUTUBE_API_URL = youtube_server.api_url
    monkeypatch.setattr(client, "POLICY", http.Policy(attempts=2, base_delay=0.01, max_wait=1.0))
    return youtube_server


@pytest.fixture
def youtube_channel(db, fake_youtube):
    """The centre's YouTube channel, connected to the local YouTube."""
    return Channel.objects.create(
        platform="youtube",
        external_id=fake_youtube.channel_id,
        name="AHTMA Formation",
        status=Channel.Status.CONNECTED,
        credentials=json.dumps({"access_token": fake_youtube.token}),
    )
