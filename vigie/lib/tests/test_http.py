"""The outbound HTTP door, against a real server on 127.0.0.1 that answers from a script."""

import contextlib
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from vigie.lib import http
from vigie.lib.http import ConnectorError


class Scripted(BaseHTTPRequestHandler):
    script: list = []
    seen: list = []

    def do_GET(self):  # noqa: N802
        self.seen.append(self.path)
        self.answer()

    def do_POST(self):  # noqa: N802
        self.seen.append(self.path)
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.answer()

    def answer(self):
        status, headers, delay = self.script.pop(0) if self.script else (200, {}, 0)
        time.sleep(delay)
        body = json.dumps({"status": status}).encode()
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(BrokenPipeError):  # the client timed out, as the test intends
            self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    Scripted.script, Scripted.seen = [], []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Scripted)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", Scripted
    httpd.shutdown()


FAST = http.Policy(attempts=3, base_delay=0.01, max_wait=1.0)


def test_a_429_is_retried_after_the_time_the_platform_asked(server):
    url, script = server
    script.script = [(429, {"Retry-After": "0.2"}, 0)]
    started = time.monotonic()
    assert http.send("GET", url, policy=FAST).status_code == 200
    assert time.monotonic() - started >= 0.2 and len(script.seen) == 2


def test_a_long_retry_after_is_not_slept_but_handed_back(server):
    url, script = server
    script.script = [(429, {"Retry-After": "3600"}, 0)]
    with pytest.raises(http.RetryLater) as caught:
        http.send("GET", url, policy=FAST)
    assert caught.value.retry_after == 3600 and len(script.seen) == 1


def test_server_errors_are_retried_then_reported_as_temporary(server):
    url, script = server
    script.script = [(500, {}, 0), (502, {}, 0), (503, {}, 0)]
    with pytest.raises(http.RetryLater) as caught:
        http.send("GET", url, policy=FAST)
    assert not caught.value.permanent and len(script.seen) == 3


def test_a_time_out_is_temporary(server):
    url, script = server
    script.script = [(200, {}, 0.5)] * 3
    slow = http.Policy(attempts=2, base_delay=0.01, timeout=http.httpx.Timeout(0.1))
    with pytest.raises(http.RetryLater, match="injoignable"):
        http.send("GET", url, policy=slow)


def test_the_callers_check_decides_what_is_permanent(server):
    url, script = server
    script.script = [(400, {}, 0)]

    def check(response):
        if response.status_code == 400:
            raise ConnectorError("jeton expiré", reconnect=True)

    with pytest.raises(ConnectorError) as caught:
        http.send("GET", url, check=check, policy=FAST)
    assert caught.value.permanent and caught.value.reconnect and len(script.seen) == 1


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_a_call_that_creates_is_not_sent_again_after_a_server_error(server, status):
    """The reply may exist after a 5xx: the outbox comes back later and looks for it before sending."""
    url, script = server
    script.script = [(status, {}, 0)]
    with pytest.raises(http.RetryLater):
        http.send("POST", url, policy=FAST, creates=True, json={"message": "Bonjour"})
    assert len(script.seen) == 1


def test_a_call_that_creates_is_not_sent_again_after_a_read_time_out(server):
    url, script = server
    script.script = [(200, {}, 0.5)] * 3
    slow = http.Policy(attempts=3, base_delay=0.01, timeout=http.httpx.Timeout(0.1))
    with pytest.raises(http.RetryLater):
        http.send("POST", url, policy=slow, creates=True, json={})
    time.sleep(0.5)  # let the server record what it received
    assert len(script.seen) == 1


def test_a_call_that_creates_is_sent_again_when_the_platform_surely_did_not_act(server):
    url, script = server
    script.script = [(429, {"Retry-After": "0"}, 0)]  # refused: nothing was created
    assert http.send("POST", url, policy=FAST, creates=True, json={}).status_code == 200
    assert len(script.seen) == 2
    closed = http.Policy(attempts=2, base_delay=0.01)
    with pytest.raises(http.RetryLater, match="injoignable"):  # the connection never opened: tried twice
        http.send("POST", "http://127.0.0.1:9/", policy=closed, creates=True, json={})


def test_nothing_leaves_for_the_network_in_tests():
    with pytest.raises(RuntimeError, match="never reach the network"):
        http.send("GET", "http://192.0.2.1/", policy=http.Policy(attempts=1))
