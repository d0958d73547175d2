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
    assert re.search(r"webhooks\.floor events_per_s=\d+ p50=[\d.]+ms p99=[\d.]+ms non_200=0", text), text
    assert re.search(r"webhooks\.vs_floor rate=[\d.]+x p99=[\d.]+x", text), text
    assert "webhooks.outcome lost=0 duplicated=0 failed_raw_events=0" in text
    assert re.search(r"webhooks\.end_to_end p50=[\d.]+s p95=[\d.]+s", text)


def test_the_floor_checks_the_signature_and_stores_each_body_once(tmp_path, monkeypatch):
    import io
    from wsgiref.util import setup_testing_defaults

    from vigie.ops import bench_floor
    from vigie.ops.bench_webhooks import SECRET, _signature

    database = str(tmp_path / "floor.sqlite3")
    bench_floor.create_table(database)
    monkeypatch.setenv("VIGIE_FLOOR_DATABASE", database)
    monkeypatch.setenv("VIGIE_FACEBOOK_APP_SECRET", SECRET)

    def post(body: bytes, signature: str) -> str:
        environ = {}
        setup_testing_defaults(environ)
        environ |= {"REQUEST_METHOD": "POST", "wsgi.input": io.BytesIO(body), "CONTENT_LENGTH": str(len(body)),
                    "HTTP_X_HUB_SIGNATURE_256": signature}  # fmt: skip
        answer = []
        content = b"".join(bench_floor.application(environ, lambda status, headers: answer.append(status)))
        return f"{answer[0]} {content.decode()}"

    assert post(b'{"a": 1}', _signature(b'{"a": 1}')) == "200 OK EVENT_RECEIVED"
    assert post(b'{"a": 1}', _signature(b'{"a": 1}')) == "200 OK EVENT_RECEIVED"  # Meta delivers again
    assert post(b'{"a": 2}', _signature(b'{"a": 1}')) == "403 Forbidden Signature invalide."
    assert bench_floor.count(database) == 1
