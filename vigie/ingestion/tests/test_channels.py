"""The « Canaux » page: tokens typed in, stored encrypted, never shown again."""

import json

import pytest
from django.db import connection
from django.urls import reverse

from vigie.audit.models import AuditEvent
from vigie.ingestion.channels import connect_channel, disconnect_channel
from vigie.ingestion.models import Channel

pytestmark = pytest.mark.django_db

TOKEN = "EAAG-tres-secret-jeton-0123456789"
CASES = [
    ("facebook", "104857600123456", "page_access_token"),
    ("linkedin", "urn:li:organization:2414183", "access_token"),
    ("youtube", "UCabcdefghijklmnopqrstuv", "access_token"),
]


@pytest.fixture
def admin(client, personas):
    client.force_login(personas["admin"])
    return personas["admin"]


def _connect(client, platform="facebook", external_id="104857600123456", token=TOKEN, name="Centre"):
    data = {"platform": platform, "external_id": external_id, "name": name, "token": token}
    return client.post(reverse("ingestion:channel-connect"), data)


def _raw_credentials(pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT credentials FROM ingestion_channel WHERE id = %s", [pk])
        return cursor.fetchone()[0]


@pytest.mark.parametrize(("platform", "external_id", "key"), CASES, ids=[c[0] for c in CASES])
def test_connecting_stores_the_token_encrypted_under_the_platforms_key(client, admin, platform, external_id, key):
    response = _connect(client, platform, external_id)
    assert response.status_code == 302
    channel = Channel.objects.get(platform=platform, external_id=external_id)
    assert channel.status == Channel.Status.CONNECTED
    assert json.loads(channel.credentials) == {key: TOKEN}
    raw = _raw_credentials(channel.pk)
    assert raw and TOKEN not in raw and "access_token" not in raw
    event = AuditEvent.objects.get(verb="channel.connected", target_id=str(channel.pk))
    assert event.actor == admin
    stored = json.dumps([event.summary, event.before, event.after])
    assert TOKEN not in stored and event.after["token_stored"] is True


def test_reconnecting_updates_the_same_channel_and_clears_the_error(client, admin):
    channel = Channel.objects.create(
        platform="facebook", external_id="104857600123456", name="Ancien", status="to_reconnect", last_error="expiré"
    )
    _connect(client, token="nouveau-jeton-42")
    channel.refresh_from_db()
    assert Channel.objects.count() == 1
    assert channel.status == "connected" and channel.last_error == "" and channel.name == "Centre"
    assert json.loads(channel.credentials) == {"page_access_token": "nouveau-jeton-42"}


@pytest.mark.parametrize(
    ("platform", "external_id", "expected"),
    [
        ("facebook", "centre-formation", "que des chiffres"),
        ("linkedin", "2414183", "urn:li:organization:"),
        ("youtube", "@centre", "commence par UC"),
        ("youtube", "UCtropcourt", "commence par UC"),
    ],
)
def test_a_bad_identifier_is_refused_in_french_and_nothing_is_saved(client, admin, platform, external_id, expected):
    response = _connect(client, platform, external_id)
    assert response.status_code == 200
    page = response.content.decode()
    assert expected in page
    assert TOKEN not in page  # the password field is not filled back in
    assert not Channel.objects.exists() and not AuditEvent.objects.exists()


def test_the_token_is_required(client, admin):
    response = _connect(client, token="")
    assert "Ce champ est obligatoire" in response.content.decode()
    assert not Channel.objects.exists()


def test_the_page_never_shows_the_token(client, admin):
    _connect(client)
    page = client.get(reverse("ingestion:channels")).content.decode()
    assert "jeton enregistré (chiffré)" in page and "104857600123456" in page and "Connecté" in page
    assert TOKEN not in page and TOKEN[:8] not in page and TOKEN[-8:] not in page
    assert "jamais" in page  # no event received yet


def test_the_page_shows_the_last_error_and_what_the_platform_refuses(client, admin):
    Channel.objects.create(platform="youtube", external_id="UCabcdefghijklmnopqrstuv", name="Chaîne",
                           last_error="Jeton expiré")  # fmt: skip
    page = client.get(reverse("ingestion:channels")).content.decode()
    assert 'class="error">Dernière erreur : Jeton expiré' in page
    assert "Masquer" in page and "YouTube n&#x27;offre pas de messages privés." in page
    assert "aucun jeton" in page


def test_disconnecting_empties_the_credentials_and_disables_the_channel(client, admin):
    _connect(client)
    channel = Channel.objects.get()
    response = client.post(reverse("ingestion:channel-disconnect", args=[channel.pk]))
    assert response.status_code == 302
    channel.refresh_from_db()
    assert channel.status == Channel.Status.DISABLED and channel.credentials == ""
    assert _raw_credentials(channel.pk) == ""
    event = AuditEvent.objects.get(verb="channel.disconnected")
    assert event.before["token_stored"] is True and event.after == {
        "name": "Centre",
        "status": "disabled",
        "token_stored": False,
    }


def test_poll_now_queues_a_poll_of_the_channel_after_commit(
    client, admin, monkeypatch, django_capture_on_commit_callbacks
):
    _connect(client)
    channel = Channel.objects.get()
    polled = []
    monkeypatch.setattr("vigie.connectors.tasks.poll_channel", polled.append)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(reverse("ingestion:channel-poll", args=[channel.pk]))
    assert response.status_code == 302 and len(callbacks) == 1
    assert polled == [channel.pk]
    assert AuditEvent.objects.filter(verb="channel.poll_requested", target_id=str(channel.pk)).exists()


def test_poll_now_refuses_a_channel_without_a_token(client, admin, monkeypatch, django_capture_on_commit_callbacks):
    channel = Channel.objects.create(platform="facebook", external_id="104857600123456", name="Centre")
    polled = []
    monkeypatch.setattr("vigie.connectors.tasks.poll_channel", polled.append)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("ingestion:channel-poll", args=[channel.pk]), follow=True)
    assert polled == [] and "n&#x27;est pas connecté" in response.content.decode()


def test_the_state_changes_can_be_used_directly(personas):
    channel = connect_channel("linkedin", " urn:li:organization:1 ", "Org", " jeton ", personas["admin"])
    assert channel.external_id == "urn:li:organization:1" and json.loads(channel.credentials) == {
        "access_token": "jeton"
    }
    with pytest.raises(ValueError, match="urn:li:organization"):
        connect_channel("linkedin", "1", "Org", "jeton", personas["admin"])
    disconnect_channel(channel, personas["admin"])
    assert Channel.objects.get().status == "disabled"


CHANNEL_VIEWS = [
    ("get", "ingestion:channels", False),
    ("post", "ingestion:channel-connect", False),
    ("post", "ingestion:channel-disconnect", True),
    ("post", "ingestion:channel-poll", True),
]


@pytest.mark.parametrize(("method", "name", "with_pk"), CHANNEL_VIEWS)
@pytest.mark.parametrize("role", ["community_manager", "communication", "direction", "outsider"])
def test_only_an_admin_may_open_the_channel_views(client, personas, role, method, name, with_pk):
    channel = connect_channel("facebook", "104857600123456", "Centre", TOKEN, personas["admin"])
    url = reverse(name, args=[channel.pk] if with_pk else [])
    client.force_login(personas[role])
    assert (
        getattr(client, method)(url, {"platform": "facebook", "external_id": "1234567", "token": "x"}).status_code
        == 403
    )
    channel.refresh_from_db()
    assert channel.status == "connected" and Channel.objects.count() == 1


@pytest.mark.parametrize(("method", "name", "with_pk"), CHANNEL_VIEWS)
def test_anonymous_visitors_are_sent_to_the_login_page(client, personas, method, name, with_pk):
    channel = connect_channel("facebook", "104857600123456", "Centre", TOKEN, personas["admin"])
    response = getattr(client, method)(reverse(name, args=[channel.pk] if with_pk else []))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_the_navigation_shows_canaux_to_the_admin_only(client, personas):
    client.force_login(personas["communication"])
    assert "Canaux" not in client.get(reverse("inbox:list")).content.decode()
    client.force_login(personas["admin"])
    assert reverse("ingestion:channels") in client.get(reverse("inbox:list")).content.decode()
