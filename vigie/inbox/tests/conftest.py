"""Fixtures of the browser tests: one headless Debian Chromium per module, one context per test.

Playwright's sync API runs an event loop in the main thread; Django refuses ORM calls from a thread
with a running loop unless told otherwise.
"""

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from vigie.accounts.roles import ROLES
from vigie.conftest import normalized
from vigie.connectors.base import NormalizedPost
from vigie.inbox import actions

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
PASSWORD = "motdepasse-de-test"
RECENT = timezone.now() - timedelta(hours=1)
PHONE = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1366, "height": 900}}
VIEWPORTS = {"phone": PHONE, "desktop": DESKTOP}


@pytest.fixture(scope="module")
def chromium():
    """Debian's Chromium, launched once for the module (Playwright's own download is not used)."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: `make chromium` installs Debian's Chromium")
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=10_000)  # headroom when the machine is busy (xdist, CI)
    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture
def open_page(chromium, live_server):
    """open_page("phone" | "desktop") -> a fresh page (own context: cookies, localStorage).

    Uncaught JavaScript errors and failed same-origin requests (a missing static file…) fail the
    test when it ends.
    """
    contexts, problems = [], []

    def _open(viewport: str = "desktop"):
        context = chromium.new_context(base_url=live_server.url, locale="fr-FR", **VIEWPORTS[viewport])
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: problems.append(f"JavaScript: {error}"))
        page.on(
            "response",
            lambda response: (
                problems.append(f"HTTP {response.status} {response.url}")
                if response.url.startswith(live_server.url) and response.status >= 400
                else None
            ),
        )
        return page

    yield _open
    for context in contexts:
        context.close()
    assert not problems, problems


@pytest.fixture
def role_groups(transactional_db):
    """The role groups come from a data migration, which a transactional test's flush empties."""
    for role in ROLES:
        Group.objects.get_or_create(name=role)


@pytest.fixture
def desk_users(role_groups, personas):
    return personas


def _ingest(n: int, **overrides):
    with transaction.atomic():
        return actions.ingest(normalized(n, **overrides))


@pytest.fixture
def inbox_items(role_groups):
    """Seven items in six threads on two platforms, comments and private messages, with distinctive
    texts ("parking" is a second comment under the "portes" post). The private messages came within the
    hour: Messenger's 24-hour window is open, a reply can be written."""
    posts = {
        "portes": NormalizedPost(external_id="fb_post_portes", text="Journée portes ouvertes le 6 décembre"),
        "tarifs": NormalizedPost(external_id="fb_post_tarifs", text="Nouveau cycle d'hypnose ericksonienne"),
        "linkedin": NormalizedPost(external_id="urn:li:share:1", text="AHTMA obtient la certification"),
        "avis": NormalizedPost(external_id="fb_post_avis", text="Vos retours sur la session d'automne"),
    }
    made = {
        "portes": _ingest(
            1,
            thread_external_id="fb_thread_portes",
            external_id="fb_c_1",
            post=posts["portes"],
            author_name="Martine Lefèvre",
            text="Faut-il réserver pour la journée portes ouvertes ?",
        ),
        "tarifs": _ingest(
            2,
            thread_external_id="fb_thread_tarifs",
            external_id="fb_c_2",
            post=posts["tarifs"],
            author_name="Julien Roux",
            text="Quel est le tarif du cycle d'hypnose ericksonienne ?",
        ),
        "parking": _ingest(
            3,
            thread_external_id="fb_thread_portes",
            external_id="fb_c_3",
            post=posts["portes"],
            author_name="Claire Dubois",
            text="Le parking était complet samedi matin, dommage.",
        ),
        "linkedin": _ingest(
            4,
            platform="linkedin",
            channel_external_id="urn:li:organization:1",
            thread_external_id="urn:li:activity:1",
            external_id="urn:li:comment:1",
            post=posts["linkedin"],
            author_name="Hélène Marchand",
            text="Bravo pour la certification Qualiopi, bien méritée !",
        ),
        "annulation": _ingest(
            5,
            kind="private_message",
            post=None,
            created_at=RECENT + timedelta(minutes=5),
            thread_external_id="t_1",
            external_id="m_1",
            author_name="Paul Girard",
            text="Je souhaite annuler mon inscription au stage de printemps.",
        ),
        "supervision": _ingest(
            6,
            kind="private_message",
            post=None,
            created_at=RECENT + timedelta(minutes=6),
            thread_external_id="t_2",
            external_id="m_2",
            author_name="Inès Moreau",
            text="Merci pour l'accueil chaleureux lors de la supervision.",
        ),
        "avis": _ingest(
            7,
            thread_external_id="fb_thread_avis",
            external_id="fb_c_7",
            post=posts["avis"],
            author_name="Sophie Bernard",
            text="Formation très enrichissante, je la recommande vivement.",
        ),
    }
    return {key: message.item for key, message in made.items()}
