"""« Se connecter avec Facebook »: the Login dialog, the code, the long-lived token, the Page chosen."""

import json
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from django.urls import reverse

from vigie.audit.models import AuditEvent
from vigie.connectors.facebook.connector import poll_channel
from vigie.ingestion.models import Channel

from .conftest import APP_SECRET

pytestmark = pytest.mark.django_db


@pytest.fixture
def login_settings(settings, fake):
    settings.FACEBOOK_APP_ID = fake.app_id
    settings.FACEBOOK_APP_SECRET = APP_SECRET
    settings.FACEBOOK_DIALOG_URL = f"{fake.url}/v21.0/dialog/oauth"
    return settings


def approve_on_facebook(admin_client) -> str:
    """Start from Vigie, go through the (fake) dialog; the callback address Facebook sends the admin to."""
    start = admin_client.post(reverse("ingestion:authorize-start", args=["facebook"]))
    assert start.status_code == 302
    dialog = httpx.get(start.url, follow_redirects=False)
    assert dialog.status_code == 302
    back = urlsplit(dialog.headers["location"])
    assert back.path == reverse("ingestion:authorize-callback", args=["facebook"])
    return f"{back.path}?{back.query}"


def test_an_admin_connects_the_page_through_facebook_and_it_polls(admin_client, fake, login_settings):
    callback = approve_on_facebook(admin_client)
    page = admin_client.get(callback)
    assert page.status_code == 200 and "AHTMA Formation" in page.content.decode()
    assert not Channel.objects.exists()  # nothing saved before the choice
    done = admin_client.post(reverse("ingestion:authorize-choose", args=["facebook"]), {"account": fake.page_id})
    assert done.url == reverse("ingestion:channels")
    channel = Channel.objects.get()
    assert (channel.platform, channel.external_id, channel.status) == ("facebook", fake.page_id, "connected")
    assert json.loads(channel.credentials) == {"page_access_token": fake.page_token}
    assert AuditEvent.objects.get(verb="channel.connected").after["token_stored"] is True
    fake.add_comment(fake.add_post("Journée portes ouvertes"), "Bonjour, c'est quand ?")
    assert len(poll_channel(channel.pk)) >= 1  # the Page token Facebook gave works


def test_the_dialog_asks_for_the_page_permissions_with_our_app(admin_client, login_settings, fake):
    query = parse_qs(urlsplit(admin_client.post(reverse("ingestion:authorize-start", args=["facebook"])).url).query)
    assert query["client_id"] == [fake.app_id] and "pages_manage_engagement" in query["scope"][0]
    callback = reverse("ingestion:authorize-callback", args=["facebook"])
    assert query["redirect_uri"][0].endswith(callback) and len(query["state"][0]) > 30


def test_a_refusal_on_facebook_saves_nothing(admin_client, fake, login_settings):
    fake.deny_authorization = True
    response = admin_client.get(approve_on_facebook(admin_client), follow=True)
    assert "Autorisation refusée sur Facebook" in response.content.decode() and not Channel.objects.exists()


def test_a_callback_without_our_state_is_refused(admin_client, fake, login_settings):
    callback = approve_on_facebook(admin_client)
    forged = callback.replace("state=", "state=x")
    response = admin_client.get(forged, follow=True)
    assert "ne vient pas de cette session" in response.content.decode()
    admin_client.post(reverse("ingestion:authorize-choose", args=["facebook"]), {"account": fake.page_id})
    assert not Channel.objects.exists()


def test_a_code_used_twice_or_a_wrong_secret_gives_a_clear_error(admin_client, fake, login_settings):
    callback = approve_on_facebook(admin_client)
    admin_client.get(callback)
    admin_client.post(reverse("ingestion:authorize-start", args=["facebook"]))  # a new state, the old code again
    session_state = admin_client.session["authorization_state_facebook"]
    replayed = admin_client.get(callback.split("state=")[0] + f"state={session_state}", follow=True)
    assert "Connexion à Facebook impossible" in replayed.content.decode()
    login_settings.FACEBOOK_APP_SECRET = "pas-le-bon"
    response = admin_client.get(approve_on_facebook(admin_client), follow=True)
    assert "Connexion à Facebook impossible" in response.content.decode() and not Channel.objects.exists()


def test_without_an_app_id_the_button_is_replaced_by_the_reason(admin_client, settings):
    settings.FACEBOOK_APP_ID = ""
    page = admin_client.get(reverse("ingestion:channels")).content.decode()
    assert "VIGIE_FACEBOOK_APP_ID" in page and "Se connecter avec Facebook" not in page
    response = admin_client.post(reverse("ingestion:authorize-start", args=["facebook"]), follow=True)
    assert "Connexion par Facebook indisponible" in response.content.decode()
