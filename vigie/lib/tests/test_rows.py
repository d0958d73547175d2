"""rows.update: one UPDATE … FROM (VALUES …) writes each row's own values, of every type, nulls included."""

from datetime import timedelta

import pytest

from vigie.inbox.models import Thread
from vigie.lib import rows

pytestmark = pytest.mark.django_db


def test_each_row_gets_its_own_values_and_the_others_are_left_alone(ingest, cm, monkeypatch):
    for n in range(1, 5):
        ingest(n, thread_external_id=f"t{n}")
    threads = list(Thread.objects.order_by("pk"))
    first, second, third, untouched = threads
    first.message_count, first.priority, first.assignee = 7, 2, cm
    second.message_count, second.last_message_at, second.assignee = 0, second.last_message_at + timedelta(days=1), None
    third.status = "done"
    monkeypatch.setattr(rows, "CHUNK", 2)  # two statements
    rows.update([first, second, third], ["message_count", "priority", "assignee", "last_message_at", "status"])
    fresh = {t.pk: t for t in Thread.objects.all()}
    assert (fresh[first.pk].message_count, fresh[first.pk].priority, fresh[first.pk].assignee_id) == (7, 2, cm.pk)
    assert fresh[second.pk].last_message_at == second.last_message_at and fresh[second.pk].assignee_id is None
    assert fresh[third.pk].status == "done"
    assert fresh[untouched.pk].message_count == untouched.message_count == 1


def test_nothing_to_write_is_no_statement(django_assert_num_queries):
    with django_assert_num_queries(0):
        rows.update([], ["status"])


def test_an_expression_is_refused(ingest):
    from django.db.models import F

    ingest(1)
    thread = Thread.objects.get()
    thread.message_count = F("message_count") + 1
    with pytest.raises(TypeError, match="message_count"):
        rows.update([thread], ["message_count"])
