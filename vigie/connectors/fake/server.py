"""Local fake platforms: real HTTP servers on 127.0.0.1 for the tests and the demo.

Production code never imports this package. A platform fake subclasses FakeServer, registers its
routes and keeps its state under `self.lock`; tests and the demo inject faults through `self.faults`.
What several fakes do alike is here too: OAuth's authorization codes (`AuthorizationCodes`), opaque
cursors, signed webhook deliveries, UTC timestamps.
"""

import base64
import hashlib
import hmac
import json
import random
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes
    match: re.Match | None = None

    def json(self):
        return json.loads(self.body or b"{}")

    def form(self) -> dict[str, str]:
        """Graph-style parameters: query string, form body or JSON body, merged."""
        params = dict(self.query)
        content_type = self.headers.get("content-type", "")
        if self.body and "json" in content_type:
            params.update({k: v for k, v in self.json().items()})
        elif self.body:
            params.update({k: v[0] for k, v in parse_qs(self.body.decode()).items()})
        return params


@dataclass
class Response:
    status: int = 200
    body: object = None  # dict/list → JSON, str → text, bytes as is, None → empty
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Faults:
    """What to do wrong, on purpose. Rates are probabilities per call, drawn from a seeded generator."""

    error_rate: float = 0.0  # answer 500
    timeout_rate: float = 0.0  # wait `timeout_seconds` before answering (longer than the client waits)
    timeout_seconds: float = 15.0
    delay_seconds: float = 0.0  # every answer is slow
    rate_limited: bool = False  # the platform's own rate-limit answer (see FakeServer.rate_limit_response)
    expired_token: bool = False  # every authenticated call fails as with an expired token
    fail_after_acting: int = 0  # the next N calls do their work, then answer 502 (a gateway lost the answer)
    seed: int = 1
    _random: random.Random = field(default_factory=lambda: random.Random(1), repr=False)

    def reseed(self, seed: int) -> None:
        self.seed = seed
        self._random = random.Random(seed)

    def draw(self) -> float:
        return self._random.random()


Handler = Callable[[Request], Response]


class FakeServer:
    name = "fake"
    api_root = ""  # where the platform's API starts (`api_url`)

    def __init__(self):
        self.lock = threading.RLock()
        self.faults = Faults()
        self.calls: list[tuple[str, str]] = []
        self._routes: list[tuple[str, re.Pattern, Handler]] = []
        self._httpd: ThreadingHTTPServer | None = None
        self.register_routes()

    def reset(self) -> None:
        """No faults, no calls recorded; each fake's `reset` empties its own state too."""
        with self.lock:
            self.faults = Faults()
            self.calls.clear()

    @property
    def api_url(self) -> str:
        return f"{self.url}{self.api_root}"

    # --- to override --------------------------------------------------------------------------
    def register_routes(self) -> None:
        """Call self.route(...) for each endpoint."""

    def authenticate(self, request: Request) -> Response | None:
        """Return an error response if the request's token is refused, else None."""
        return None

    def rate_limit_response(self) -> Response:
        return Response(429, {"error": "rate limited"}, {"Retry-After": "1"})

    def expired_token_response(self) -> Response:
        return Response(401, {"error": "expired token"})

    # --- plumbing -------------------------------------------------------------------------------
    def route(self, method: str, pattern: str, handler: Handler) -> None:
        self._routes.append((method, re.compile(f"^{pattern}$"), handler))

    def start(self) -> str:
        server = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # small answers leave at once (43 ms → 1 ms a call)

            def _serve(self):
                server._serve(self)

            do_GET = do_POST = do_DELETE = do_PUT = _serve  # noqa: N815

            def log_message(self, *args):
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._httpd.daemon_threads = True
        threading.Thread(target=self._httpd.serve_forever, daemon=True, name=f"fake-{self.name}").start()
        return self.url

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def _dispatch(self, request: Request) -> Response:
        faults = self.faults
        if faults.delay_seconds:
            time.sleep(faults.delay_seconds)
        if faults.timeout_rate and faults.draw() < faults.timeout_rate:
            time.sleep(faults.timeout_seconds)
        if faults.error_rate and faults.draw() < faults.error_rate:
            return Response(500, {"error": "injected failure"})
        if faults.rate_limited:
            return self.rate_limit_response()
        if faults.expired_token:
            return self.expired_token_response()
        refused = self.authenticate(request)
        if refused is not None:
            return refused
        for method, pattern, handler in self._routes:
            match = pattern.match(request.path)
            if method == request.method and match:
                request.match = match
                with self.lock:
                    self.calls.append((request.method, request.path))
                    response = handler(request)
                    if faults.fail_after_acting > 0:
                        faults.fail_after_acting -= 1
                        return Response(502, {"error": "bad gateway (the call was carried out)"})
                    return response
        return Response(404, {"error": f"no route {request.method} {request.path}"})

    def _serve(self, raw: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(raw.path)
        length = int(raw.headers.get("Content-Length") or 0)
        request = Request(
            method=raw.command,
            path=parts.path,
            query={k: v[0] for k, v in parse_qs(parts.query, keep_blank_values=True).items()},
            headers={k.lower(): v for k, v in raw.headers.items()},
            body=raw.rfile.read(length) if length else b"",
        )
        response = self._dispatch(request)
        body = response.body
        if isinstance(body, dict | list):
            payload, content_type = json.dumps(body).encode(), "application/json"
        elif isinstance(body, str):
            payload, content_type = body.encode(), "text/plain; charset=utf-8"
        else:
            payload, content_type = body or b"", "application/octet-stream"
        try:
            raw.send_response(response.status)
            raw.send_header("Content-Type", response.headers.pop("Content-Type", content_type))
            for name, value in response.headers.items():
                raw.send_header(name, value)
            raw.send_header("Content-Length", str(len(payload)))
            raw.end_headers()
            raw.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (time-out fault)


class AuthorizationCodes:
    """OAuth 2.0's authorization-code step, for a fake that has it. Nobody is there to click: the consent
    screen answers at once, and refuses while `deny_authorization`; a code is good once, for a while."""

    def forget_codes(self) -> None:
        self.deny_authorization = False  # the admin refuses on the platform's consent screen
        self.codes: dict[str, tuple[str, float]] = {}  # authorization code → (redirect_uri, expiry)

    def give_code(self, code: str, redirect_uri: str, lifetime: float) -> str:
        self.codes[code] = (redirect_uri, time.time() + lifetime)
        return code

    def redeem_code(self, code: str) -> str:
        """The redirect_uri the code was given for; "" when it is unknown, used already or expired."""
        redirect_uri, expires = self.codes.pop(code, ("", 0.0))
        return redirect_uri if expires >= time.time() else ""


def redirect(redirect_uri: str, answer: dict) -> Response:
    """The consent screen sends the browser back to the app with `answer` in the query."""
    separator = "&" if "?" in redirect_uri else "?"
    return Response(302, "", {"Location": f"{redirect_uri}{separator}{urlencode(answer)}"})


def opaque(text: str) -> str:
    """A cursor or page token as the platforms hand them out: URL-safe base64, without padding."""
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def from_opaque(token: str) -> str:
    """The text of an `opaque` token; ValueError when it is not one."""
    return base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()


def hmac_sha256(secret: str, message: bytes) -> str:
    """The hex HMAC-SHA256 the platforms sign their webhook deliveries with."""
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def post_webhook(url: str, body: bytes, headers: dict, timeout: float) -> int:
    """One webhook delivery: the HTTP status of the answer, 0 when none came."""
    try:
        return httpx.post(url, content=body, headers=headers, timeout=timeout).status_code
    except httpx.HTTPError:
        return 0


def now() -> datetime:
    return datetime.fromtimestamp(time.time(), tz=UTC)


def zulu(moment: datetime) -> str:
    """A moment in UTC as `2026-11-30T09:00:00Z`."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
