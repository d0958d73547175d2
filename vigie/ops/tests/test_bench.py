import re

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_the_inbox_bench_fills_the_database_and_prints_each_figure(capsys, personas):
    call_command("bench", "inbox", "--messages", "200", "--repeat", "2")
    out = capsys.readouterr().out
    for figure in ("first_page", "filter_platform", "search_common", "search_rare", "second_page"):
        assert re.search(rf"inbox\.{figure} p50=\d+\.\dms p95=\d+\.\dms", out), out
    assert "api.messages" in out
    from vigie.inbox.models import Message

    assert Message.objects.count() == 200
