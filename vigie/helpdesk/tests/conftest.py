import json
from datetime import timedelta

import pytest
from django.utils import timezone

from vigie.connectors.freshdesk.tests.conftest import fake_freshdesk, freshdesk_server, registered  # noqa: F401
from vigie.inbox.models import Item
from vigie.ingestion.models import Channel

WEBHOOK_SECRET = "secret-du-webhook-freshdesk"


@pytest.fixture
def freshdesk(db, fake_freshdesk):  # noqa: F811 (the fixture imported above)
    """The centre's Freshdesk account, connected to the local Freshdesk."""
    return Channel.objects.create(
        platform="freshdesk",
        external_id="ahtma",
        name="ahtma",
        status=Channel.Status.CONNECTED,
        credentials=json.dumps({"api_key": fake_freshdesk.api_key, "webhook_secret": WEBHOOK_SECRET}),
    )


@pytest.fixture
def complex_item(ingest):
    """A private message asking something that needs an internal review."""
    message = ingest(
        1,
        kind="private_message",
        post=None,
        thread_external_id="t_vae",
        external_id="m_vae",
        author_external_id="psid-4242",
        author_name="Chloé Rousseau",
        text="Bonjour, je voudrais faire valider mes acquis (VAE) et reporter ma session : comment faire ?",
        created_at=timezone.now() - timedelta(hours=1),  # Messenger's 24-hour window is open
    )
    Item.objects.filter(pk=message.item_id).update(label="complex_request")
    return Item.objects.select_related("message__author", "thread__channel").get(pk=message.item_id)


# the browser fixtures of the desk (Debian Chromium, live server, personas in role groups)
from vigie.inbox.tests.conftest import chromium, desk_users, open_page, role_groups  # noqa: E402, F401
