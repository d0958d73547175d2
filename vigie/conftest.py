"""Shared test fixtures: personas (one user per role), a network guard, ingestion helpers."""

import ipaddress
import socket
from datetime import datetime, timedelta

import pytest
from django.contrib.auth.models import Group
from huey.contrib.djhuey import HUEY

from vigie.connectors.base import NormalizedMessage, NormalizedPost
from vigie.inbox import actions

_real_connect = socket.socket.connect


def _loopback_only(sock, address):
    host = address[0] if isinstance(address, tuple) else None
    if host is not None:
        try:
            loopback = ipaddress.ip_address(host).is_loopback
        except ValueError:
            loopback = host == "localhost"
        if not loopback:
            raise RuntimeError(f"Tests never reach the network (tried {address!r})")
    return _real_connect(sock, address)


@pytest.fixture(autouse=True, scope="session")
def no_network():
    socket.socket.connect = _loopback_only
    yield
    socket.socket.connect = _real_connect


@pytest.fixture(autouse=True, scope="session")
def huey_runs_jobs_at_once():
    """Jobs queued in a test run synchronously (the real queue is tested in test_worker)."""
    HUEY.immediate = True
    yield
    HUEY.immediate = False


@pytest.fixture(autouse=True)
def delivery_journal(settings, tmp_path):
    """Each test its own journal of webhook deliveries (vigie/ingestion/journal.py): a file outside the
    test's transaction, which would otherwise carry one test's deliveries into the next."""
    settings.DELIVERY_JOURNAL = tmp_path / "deliveries.sqlite3"
    return settings.DELIVERY_JOURNAL


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Real hashing costs half a second a user; tests create many."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


ROLES = ("community_manager", "communication", "direction", "admin")


def make_user(django_user_model, username: str, role: str | None):
    user = django_user_model.objects.create_user(
        username=username, password="motdepasse-de-test", email=f"{username}@example.org"
    )
    if role:
        user.groups.add(Group.objects.get_or_create(name=role)[0])  # transactional tests flush them
    return user


@pytest.fixture
def personas(db, django_user_model):
    """One user per role, plus `outsider` who has an account and no role."""
    users = {role: make_user(django_user_model, role.replace("_", "-"), role) for role in ROLES}
    users["outsider"] = make_user(django_user_model, "outsider", None)
    return users


@pytest.fixture
def cm(personas):
    return personas["community_manager"]


T0 = datetime.fromisoformat("2026-11-20T09:00:00+01:00")


def normalized(n: int = 1, **overrides) -> NormalizedMessage:
    values = {
        "platform": "facebook",
        "channel_external_id": "104857600123456",
        "kind": "comment",
        "external_id": f"712750021053074_{n}",
        "thread_external_id": "712750021053074",
        "author_external_id": f"author-{n}",
        "author_name": f"Auteur {n}",
        "text": f"Bonjour, message numéro {n}",
        "created_at": T0 + timedelta(minutes=n),
        "post": NormalizedPost(external_id="104857600123456_712750021053074", text="Journée portes ouvertes"),
    }
    values.update(overrides)
    return NormalizedMessage(**values)


@pytest.fixture
def ingest(db):
    """ingest(n, **overrides) stores a normalized message through the actions layer."""
    from django.db import transaction

    def _ingest(n: int = 1, **overrides):
        with transaction.atomic():
            return actions.ingest(normalized(n, **overrides))

    return _ingest


@pytest.fixture
def deliver(db):
    """deliver(n, text, author="a1", **fields): comment n imported through the whole pipeline (store,
    parse, ingest, triage, procedure); returns its Message."""
    import json

    from vigie.inbox.models import Message
    from vigie.ingestion import raw_events
    from vigie.pipeline import processing

    def _deliver(n: int, text: str, author: str = "a1", **fields) -> Message:
        record = {
            "platform": "facebook", "kind": "comment", "id": f"c_{n}", "thread_id": f"p{n}", "parent_id": None,
            "author": {"id": author, "name": "Emma Laurent"}, "text": text, "created_at": "2026-11-20T09:00:00+01:00",
        } | fields  # fmt: skip
        [pk] = raw_events.store([json.dumps(record)], source="import")
        processing.process(pk)
        return Message.objects.get(external_id=f"c_{n}")

    return _deliver


@pytest.fixture(autouse=True)
def empty_cache():
    """Rate limits count in the cache: each test starts with none."""
    from django.core.cache import cache

    cache.clear()
