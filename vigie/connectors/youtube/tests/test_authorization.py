"""« Se connecter avec YouTube »: Google's consent, the code, the access and refresh tokens, the channel;
then the one-hour access token renewed before it expires."""

import json
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import time_machine
from django.urls import reverse

from vigie.connectors.youtube.connector import poll_channel
from vigie.ingestion.models import Channel

pytestmark = pytest.mark.django_db
START = reverse("ingestion:authorize-start", args=["youtube"])
CHOOSE = reverse("ingestion:authorize-choose", args=["youtube"])


@pytest.fixture
def google_settings(settings, fake_youtube):
    settings.GOOGLE_CLIENT_ID, settings.GOOGLE_CLIENT_SECRET = fake_youtube.client_id, fake_youtube.client_secret
    settings.GOOGLE_AUTH_URL = f"{fake_youtube.url}/o/oauth2/v2/auth"
    settings.GOOGLE_TOKEN_URL = f"{fake_youtube.url}/token"
    return settings


def consent_on_google(admin_client) -> str:
    consent = httpx.get(admin_client.post(START).url, follow_redirects=False)
    assert consent.status_code == 302
    back = urlsplit(consent.headers["location"])
    return f"{back.path}?{back.query}"


def connect(admin_client, fake_youtube) -> Channel:
    page = admin_client.get(consent_on_google(admin_client))
    assert "AHTMA Formation" in page.content.decode()
    admin_client.post(CHOOSE, {"account": fake_youtube.channel_id})
    return Channel.objects.get()


def test_an_admin_connects_the_channel_through_google_with_a_refresh_token(admin_client, fake_youtube,
                                                                           google_settings):  # fmt: skip
    query = parse_qs(urlsplit(admin_client.post(START).url).query)
    assert query["access_type"] == ["offline"] and query["scope"] == [
        "https://www.googleapis.com/auth/youtube.force-ssl"
    ]
    channel = connect(admin_client, fake_youtube)
    credentials = json.loads(channel.credentials)
    assert channel.external_id == fake_youtube.channel_id and credentials["access_token"] == fake_youtube.token
    assert credentials["refresh_token"] in fake_youtube.refresh_tokens and credentials["expires_at"]
    fake_youtube.add_comment(fake_youtube.add_video(), "Bonjour, quand a lieu la prochaine session ?")
    assert poll_channel(channel.pk)


def test_an_expiring_access_token_is_renewed_before_polling(admin_client, fake_youtube, google_settings):
    channel = connect(admin_client, fake_youtube)
    first = json.loads(channel.credentials)["access_token"]
    fake_youtube.add_comment(fake_youtube.add_video(), "Merci pour cette vidéo très claire")
    with time_machine.travel(timedelta(hours=2)):
        assert poll_channel(channel.pk)  # an hour later: renewed, then polled
    channel.refresh_from_db()
    renewed = json.loads(channel.credentials)
    assert renewed["access_token"] == fake_youtube.token != first and channel.status == Channel.Status.CONNECTED


def test_a_revoked_refresh_token_asks_to_reconnect(admin_client, fake_youtube, google_settings):
    channel = connect(admin_client, fake_youtube)
    fake_youtube.refresh_tokens.clear()  # revoked in the Google account
    with time_machine.travel(timedelta(hours=2)):
        assert poll_channel(channel.pk) == []
    channel.refresh_from_db()
    assert channel.status == Channel.Status.TO_RECONNECT and "reconnectez la chaîne" in channel.last_error


def test_a_refused_consent_saves_nothing(admin_client, fake_youtube, google_settings):
    fake_youtube.deny_authorization = True
    page = admin_client.get(consent_on_google(admin_client), follow=True).content.decode()
    assert "Autorisation refusée sur YouTube" in page and not Channel.objects.exists()
