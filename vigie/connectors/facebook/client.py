"""Graph API calls for one Page, through the one HTTP door (vigie.lib.http.send), and what Facebook's
errors mean for Vigie (platform-apis.md §1.10, §1.11).

- GETs, hides, deletions and blocks are safe to repeat: `http.send` retries them on time-outs and 5xx.
- Creating something (a reply, a Messenger message) is retried only when Facebook *answered* that it is
  temporarily unavailable (5xx, codes 1 and 2); after a time-out the request may have gone through, so
  the outbox comes back later and asks `find_done` first.
"""

import json
import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import httpx
from django.conf import settings

from vigie.lib import http
from vigie.lib.http import ConnectorError, RetryLater

log = logging.getLogger(__name__)

# Patched by tests (short time-outs, no sleeping between attempts).
POLICY = http.Policy(attempts=3, base_delay=0.5, max_wait=10.0, timeout=httpx.Timeout(10.0, connect=5.0))
RATE_LIMIT_WAIT = 300.0  # seconds, when Facebook does not say how long
UNAVAILABLE_WAIT = 60.0

EXPIRED_TOKEN = "Jeton Facebook expiré ou révoqué : reconnectez la Page"  # noqa: S105 (a message)
RATE_LIMIT_CODES = frozenset({4, 17, 32, 613, 80001, 80006})
TEMPORARY_CODES = frozenset({1, 2})
POLICY_BLOCK_CODES = frozenset({341, 368})
OUTSIDE_WINDOW = (10, 2018278)


class NotFound(ConnectorError):
    """Code 100: the object does not exist (any more) or the token may not see it."""

    def __init__(self, message: str):
        super().__init__(message, permanent=True)


class OutsideWindow(ConnectorError):
    """Code 10 / 2018278: a Messenger message outside the window the platform allows."""

    def __init__(self, message: str):
        super().__init__(message, permanent=True)


class Unavailable(RetryLater):
    """Facebook answered that it cannot serve the request now (5xx, codes 1, 2): nothing was done."""


@dataclass(frozen=True)
class Usage:
    """X-Business-Use-Case-Usage, reduced to what matters: the highest percentage and the wait."""

    peak: float = 0.0
    regain_minutes: float = 0.0

    @classmethod
    def from_headers(cls, headers: httpx.Headers) -> "Usage":
        raw = headers.get("X-Business-Use-Case-Usage") or headers.get("X-App-Usage")
        try:
            data = json.loads(raw) if raw else {}
        except ValueError:
            return cls()
        if not isinstance(data, dict):
            return cls()
        rows = (
            [data]
            if "call_count" in data
            else [row for rows in data.values() if isinstance(rows, list) for row in rows]
        )
        peak = regain = 0.0
        for row in rows:
            if isinstance(row, dict):
                peak = max([peak] + [_number(row.get(k)) for k in ("call_count", "total_time", "total_cputime")])
                regain = max(regain, _number(row.get("estimated_time_to_regain_access")))
        return cls(peak=peak, regain_minutes=regain)


def _number(value) -> float:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0.0


def error_for(response: httpx.Response) -> ConnectorError | None:
    """The ConnectorError a Graph answer means, or None when it is a success."""
    if response.status_code < 400:
        return None
    try:
        error = response.json().get("error")
    except (ValueError, AttributeError):
        error = None
    if not isinstance(error, dict):
        if response.status_code == 429:
            return RetryLater("Facebook limite les appels (HTTP 429)", http.retry_after_seconds(response) or 60.0)
        if response.status_code >= 500:
            return Unavailable(f"Facebook indisponible (HTTP {response.status_code})", UNAVAILABLE_WAIT)
        return ConnectorError(f"Réponse inattendue de Facebook (HTTP {response.status_code})", permanent=True)
    return _graph_error(error, response)


def _graph_error(error: dict, response: httpx.Response) -> ConnectorError:
    code, subcode = _int(error.get("code")), _int(error.get("error_subcode"))
    said = str(error.get("error_user_msg") or error.get("message") or "").strip()
    ref = f"code {code}" + (f", sous-code {subcode}" if subcode else "")
    if code == 190:
        return ConnectorError(f"{EXPIRED_TOKEN} ({ref})", reconnect=True)
    if code in RATE_LIMIT_CODES:
        usage = Usage.from_headers(response.headers)
        wait = usage.regain_minutes * 60 or RATE_LIMIT_WAIT
        return RetryLater(f"Limite d'appels Facebook atteinte ({ref}) : nouvel essai dans {wait / 60:.0f} min", wait)
    if code in TEMPORARY_CODES or (response.status_code >= 500 and code not in (10, 100)):
        return Unavailable(f"Facebook indisponible pour l'instant ({ref})", UNAVAILABLE_WAIT)
    if (code, subcode) == OUTSIDE_WINDOW:
        return OutsideWindow(f"Hors de la fenêtre d'envoi autorisée par Facebook ({ref})")
    if code == 100:
        return NotFound(f"Objet Facebook introuvable ou inaccessible ({ref}) : {said}")
    if code in POLICY_BLOCK_CODES:
        return ConnectorError(f"Action bloquée temporairement par Facebook ({ref}) : {said}", permanent=True)
    if code == 551:
        return ConnectorError(f"Cette personne n'est pas joignable sur Messenger ({ref})", permanent=True)
    return ConnectorError(f"Facebook a refusé l'action ({ref}) : {said}", permanent=True)


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def check(response: httpx.Response) -> None:
    error = error_for(response)
    if error is not None:
        raise error


Pacing = Callable[[Callable[[], dict]], dict]  # makes a call, paced as its caller needs


def _at_once(call: Callable[[], dict]) -> dict:
    return call()


class Graph:
    """The Graph API as one Page's token sees it."""

    def __init__(self, token: str, *, base_url: str | None = None):
        self.token = token
        self.base_url = (base_url or settings.FACEBOOK_GRAPH_URL).rstrip("/")
        self.usage = Usage()

    def get(self, path: str, params: dict | None = None) -> dict:
        return self._call("GET", self.base_url + path, params=params)

    def get_url(self, url: str) -> dict:
        """A `paging.next` address, followed as Facebook gave it."""
        return self._call("GET", url)

    def post(self, path: str, *, data: dict | None = None, json: dict | None = None, creates: bool = False) -> dict:
        return self._call("POST", self.base_url + path, data=data, json=json, creates=creates)

    def delete(self, path: str, params: dict | None = None) -> dict:
        return self._call("DELETE", self.base_url + path, params=params)

    def pages(
        self, path: str, params: dict, through: Callable[[Callable[[], dict]], dict] = _at_once
    ) -> Iterator[dict]:
        """Each page of an edge, following `paging.next` until it is absent; each call made `through`
        the caller's pacing (the poller's throttle) when it has one."""
        page = through(lambda: self.get(path, params))
        while True:
            yield page
            following = (page.get("paging") or {}).get("next")
            if not following:
                return
            page = through(lambda url=following: self.get_url(url))

    def _call(self, method: str, url: str, *, creates: bool = False, **kwargs) -> dict:
        headers = {"Authorization": f"Bearer {self.token}"}
        tries = POLICY.attempts if creates else 1  # http.send retries the rest itself
        for attempt in range(1, tries + 1):
            try:
                response = http.send(method, url, check=check, policy=POLICY, creates=creates, headers=headers,
                                     **kwargs)  # fmt: skip
                break
            except Unavailable:  # Facebook answered: nothing was created, trying again is safe
                if attempt == tries:
                    raise
                time.sleep(POLICY.base_delay * 2 ** (attempt - 1))
        self.usage = Usage.from_headers(response.headers)
        try:
            return response.json()
        except ValueError:
            raise Unavailable("Réponse illisible de Facebook", UNAVAILABLE_WAIT) from None


def for_channel(channel) -> Graph:
    """The Graph client for a channel; a channel without a Page token must be reconnected."""
    try:
        token = json.loads(channel.credentials or "{}").get("page_access_token")
    except (ValueError, AttributeError):
        token = None
    if not token:
        raise ConnectorError("Aucun jeton de Page Facebook enregistré : reconnectez la Page", reconnect=True)
    return Graph(token)
