"""The one outbound HTTP door: platforms, Monday and Freshdesk calls all go through `send`.

- timeouts on every call;
- 429, 5xx and network errors are retried a few times with exponential backoff, honouring
  Retry-After (a wait longer than `max_wait` is not slept: RetryLater tells the caller when to
  come back, so a worker is never blocked for minutes);
- what the platform says is permanent (expired token…) is raised by the caller's `check` as
  ConnectorError(permanent=True) and never retried;
- a call that creates something (`creates=True`: a reply, a message, a ticket) is sent again here only
  when the platform surely did not act on it (429: refused; the connection never opened). After a 5xx
  or a read time-out it may exist: RetryLater goes back to the outbox, whose next attempt first looks
  for it on the platform (`find_done`), so that nothing is published twice.
"""

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = httpx.Timeout(10.0, connect=5.0)
RETRIABLE_STATUS = frozenset({429, 500, 502, 503, 504})
NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout)  # the request never reached the platform


class ConnectorError(Exception):
    """A platform call that failed. Permanent errors are not retried; `reconnect` says the channel's
    token is expired or revoked (the channel shows « À reconnecter »)."""

    def __init__(self, message: str, *, permanent: bool = False, reconnect: bool = False):
        super().__init__(message)
        self.permanent = permanent or reconnect
        self.reconnect = reconnect


class RetryLater(ConnectorError):
    """Temporary refusal (rate limit, platform down): try again after `retry_after` seconds."""

    def __init__(self, message: str, retry_after: float):
        super().__init__(message, permanent=False)
        self.retry_after = retry_after


@dataclass
class Policy:
    attempts: int = 3
    base_delay: float = 0.5
    max_wait: float = 10.0
    timeout: httpx.Timeout = field(default_factory=lambda: DEFAULT_TIMEOUT)


_client: httpx.Client | None = None


def client() -> httpx.Client:
    global _client
    if _client is None:
        _client = httpx.Client(timeout=DEFAULT_TIMEOUT, follow_redirects=False)
    return _client


def retry_after_seconds(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


def send(
    method: str,
    url: str,
    *,
    check: Callable[[httpx.Response], None] | None = None,
    policy: Policy | None = None,
    creates: bool = False,
    **kwargs,
) -> httpx.Response:
    """Send a request; retry what is temporary (and, for a call that `creates`, surely not done); let
    `check` turn error bodies into ConnectorErrors."""
    policy = policy or Policy()
    kwargs.setdefault("timeout", policy.timeout)
    for attempt in range(1, policy.attempts + 1):
        last = attempt == policy.attempts
        try:
            response = client().request(method, url, **kwargs)
        except httpx.TransportError as exc:  # time-out, refused connection…
            if last or (creates and not isinstance(exc, NOT_SENT)):
                raise RetryLater(f"plateforme injoignable : {type(exc).__name__}", policy.max_wait) from exc
            _sleep(policy.base_delay * 2 ** (attempt - 1))
            continue
        if response.status_code in RETRIABLE_STATUS:
            wait = retry_after_seconds(response) or policy.base_delay * 2 ** (attempt - 1)
            if last or wait > policy.max_wait or (creates and response.status_code != 429):
                if check is not None:
                    check(response)  # a platform may say more than the status (permanent error…)
                raise RetryLater(f"réponse {response.status_code} de la plateforme", wait)
            _sleep(wait)
            continue
        if check is not None:
            check(response)
        return response
    raise AssertionError("unreachable")  # pragma: no cover


def _sleep(seconds: float) -> None:
    log.info("outbound call retried in %.1f s", seconds)
    time.sleep(seconds)
