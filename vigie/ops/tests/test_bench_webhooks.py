import re

import pytest

from vigie.ops.bench_webhooks import run_webhook_bench

pytestmark = pytest.mark.slow


def test_the_webhook_bench_sends_signed_deliveries_and_counts_outcomes():
    lines = []
    run_webhook_bench(lines.append, events=40, concurrency=4, rate=80)  # 42 deliveries, paced: about 0.5 s
    text = "\n".join(lines)
    assert "events=40 redelivered=2 concurrency=4 rate=80/s" in text
    sending = re.search(r"webhooks\.ingest events_per_s=\d+ seconds=([\d.]+) non_200=0", text)
    assert sending and float(sending.group(1)) >= 0.5, text
    assert "webhooks.outcome lost=0 duplicated=0 failed_raw_events=0" in text
    assert re.search(r"webhooks\.end_to_end p50=[\d.]+s p95=[\d.]+s", text)
