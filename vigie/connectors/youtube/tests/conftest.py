from pathlib import Path

import pytest

from vigie.connectors.fake.youtube import FakeYouTube
from vigie.connectors.tests.support import connected_channel, fresh, registered_connector, session_server
from vigie.connectors.youtube import client, connector

FIXTURES = Path(__file__).parent.parent / "fixtures"


def fixture(name: str) -> str:
    return (FIXTURES / f"{name}.json").read_text()


registered = registered_connector("youtube", connector.connector)
youtube_server = session_server(FakeYouTube)


@pytest.fixture
def fake_youtube(youtube_server, settings, monkeypatch):
    return fresh(youtube_server, monkeypatch, client, settings, YOUTUBE_API_URL=youtube_server.api_url)


@pytest.fixture
def youtube_channel(db, fake_youtube):
    """The centre's YouTube channel, connected to the local YouTube."""
    return connected_channel("youtube", fake_youtube.channel_id, {"access_token": fake_youtube.token})
