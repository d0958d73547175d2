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


def test_the_indicators_bench_fills_what_the_indicators_read_and_prints_each_figure(capsys, personas):
    call_command("bench", "indicators", "--messages", "200", "--repeat", "2")
    out = capsys.readouterr().out
    for figure in ("page_week", "page_quarter", "page_90_days", "api_month", "api_90_days", "inbox_first_page"):
        assert re.search(rf"indicators\.{figure} p50=\d+\.\dms p95=\d+\.\dms", out), out
    assert re.search(r"indicators\.refresh days=\d+", out) and "indicators.monthly_pdf" in out
    from vigie.indicators.models import TallyDay
    from vigie.triage.models import Classification

    assert Classification.objects.count() == 200 and TallyDay.objects.exists()
