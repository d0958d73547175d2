import itertools
from datetime import datetime

import pytest
from django.db import transaction

from vigie.conftest import normalized
from vigie.inbox import actions
from vigie.inbox.models import Message
from vigie.inbox.tests.conftest import chromium, desk_users, open_page, role_groups  # noqa: F401 (browser fixtures)
from vigie.triage.models import Classification

CHANNELS = {"facebook": "104857600123456", "linkedin": "urn:li:organization:1"}


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


@pytest.fixture
def message(db):
    """message(when, label=…, platform=…, kind=…, corrected_to=…, reviewed=…, staff=…, due=…, replied=…,
    author=…): an incoming message stored through the actions layer, with the classification given."""
    numbers = itertools.count(1)

    def _message(
        when,
        *,
        label="question",
        platform="facebook",
        kind="comment",
        corrected_to="",
        reviewed=False,
        staff=False,
        due=None,
        replied=None,
        author=None,
    ):
        n = next(numbers)
        fields = {
            "platform": platform,
            "channel_external_id": CHANNELS[platform],
            "kind": kind,
            "external_id": f"x{n}",
            "created_at": at(when) if isinstance(when, str) else when,
            "author_external_id": author or f"author-{n}",
        }
        if kind == "private_message":
            fields |= {"thread_external_id": f"conversation-{n}", "post": None}
        with transaction.atomic():
            stored = actions.ingest(normalized(n, **fields))
        Classification.objects.create(
            message=stored,
            label=label,
            confidence=0.9,
            targets_staff=staff,
            priority="normal",
            model_version="t",
            text_sha256="x",
            corrected_label=corrected_to,
            corrected_at=stored.created_at if (reviewed or corrected_to) else None,
        )
        Message.objects.filter(pk=stored.pk).update(reply_due_at=due, replied_at=replied)
        return Message.objects.get(pk=stored.pk)

    return _message
