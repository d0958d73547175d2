import pytest
from django.db import transaction

from vigie.conftest import normalized
from vigie.inbox import actions
from vigie.inbox.models import Item
from vigie.inbox.tests.conftest import chromium, desk_users, open_page, role_groups  # noqa: F401 (browser fixtures)


@pytest.fixture
def labelled(db):
    """labelled(n, label, **overrides): an incoming message whose item carries `label`."""

    def _labelled(n: int, label: str, **overrides):
        with transaction.atomic():
            message = actions.ingest(normalized(n, **overrides))
        Item.objects.filter(pk=message.item_id).update(label=label)
        message.item.refresh_from_db()
        return message

    return _labelled
