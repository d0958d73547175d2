"""« Se connecter avec LinkedIn »: the consent screen, the code, the member token, the organisation chosen."""

from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from django.urls import reverse

from vigie.connectors.linkedin.connector import poll_channel
from vigie.ingestion.models import Channel

pytestmark = pytest.mark.django_db
START = reverse("ingestion:authorize-start", args=["linkedin"])
CHOOSE = reverse("ingestion:authorize-choose", args=["linkedin"])


@pytest.fixture
def oauth_settings(settings, fake_linkedin):
    settings.LINKEDIN_CLIENT_ID = fake_linkedin.client_id
    settings.LINKEDIN_OAUTH_URL = f"{fake_linkedin.url}/oauth/v2"
    return settings


def approve_on_linkedin(admin_client) -> str:
    dialog = httpx.get(admin_client.post(START).url, follow_redirects=False)
    assert dialog.status_code == 302
    back = urlsplit(dialog.headers["location"])
    assert back.path == reverse("ingestion:authorize-callback", args=["linkedin"])
    return f"{back.path}?{back.query}"


def test_an_admin_connects_the_organisation_through_linkedin_and_it_polls(admin_client, fake_linkedin, oauth_settings):
    query = parse_qs(urlsplit(admin_client.post(START).url).query)
    assert query["client_id"] == [fake_linkedin.client_id] and "w_organization_social" in query["scope"][0]
    page = admin_client.get(approve_on_linkedin(admin_client))
    assert "AHTMA Formation" in page.content.decode() and not Channel.objects.exists()
    admin_client.post(CHOOSE, {"account": fake_linkedin.organization})
    channel = Channel.objects.get()
    assert (channel.platform, channel.external_id, channel.status) == ("linkedin", fake_linkedin.organization,
                                                                       "connected")  # fmt: skip
    post = fake_linkedin.add_post()
    fake_linkedin.add_comment(post, "Bonjour, quelles dates pour la prochaine session ?")
    assert poll_channel(channel.pk)  # the member token LinkedIn gave works


def test_a_cancelled_consent_or_a_wrong_secret_saves_nothing(admin_client, fake_linkedin, oauth_settings):
    fake_linkedin.deny_authorization = True
    refused = admin_client.get(approve_on_linkedin(admin_client), follow=True).content.decode()
    assert "Autorisation refusée sur LinkedIn" in refused
    fake_linkedin.deny_authorization = False
    oauth_settings.LINKEDIN_CLIENT_SECRET = "pas-le-bon"
    failed = admin_client.get(approve_on_linkedin(admin_client), follow=True).content.decode()
    assert "Connexion à LinkedIn impossible" in failed and "Client authentication failed" in failed
    assert not Channel.objects.exists()


def test_without_a_client_id_linkedin_says_why(admin_client, settings):
    settings.LINKEDIN_CLIENT_ID = ""
    page = admin_client.get(reverse("ingestion:channels")).content.decode()
    assert "VIGIE_LINKEDIN_CLIENT_ID" in page and "Se connecter avec LinkedIn" not in page


def test_a_platform_without_a_flow_is_not_found(admin_client):
    assert admin_client.post(reverse("ingestion:authorize-start", args=["myspace"])).status_code == 404
