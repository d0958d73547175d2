"""YouTube Data API v3 calls (platform-apis.md §3), through vigie.lib.http, within the daily quota.

Google counts units per project and per Pacific-time day (10,000 by default; list 1, insert and
setModerationStatus 50). Each call is charged before it is sent, in the channel's
`poll_cursor["quota"]`; a call that would pass the budget is not sent: RetryLater until Pacific
midnight. Polling stops at `POLL_SHARE` of the budget so that moderation always has units left.
"""

import json
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import httpx
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from vigie.connectors.youtube import tokens
from vigie.ingestion.models import Channel
from vigie.lib import http
from vigie.lib.http import ConnectorError

MAX_RESULTS = 100
DEFAULT_DAILY_QUOTA = 10_000  # override with settings.YOUTUBE_DAILY_QUOTA
POLL_SHARE = 0.9
LIST_COST, WRITE_COST = 1, 50
DEFAULT_RETRY_AFTER = 60.0
PACIFIC = ZoneInfo("America/Los_Angeles")
POLICY = http.Policy()

EXPLANATIONS = {
    "commentsDisabled": "les commentaires sont désactivés sur cette vidéo",
    "forbidden": "droits insuffisants : seul le propriétaire de la chaîne ou de la vidéo peut le faire",
    "commentNotFound": "commentaire introuvable (supprimé par son auteur ?)",
    "commentThreadNotFound": "fil de commentaires introuvable",
    "videoNotFound": "vidéo introuvable",
    "channelNotFound": "chaîne introuvable",
    "banWithoutReject": "un bannissement exige le rejet du commentaire",
    "operationNotSupported": "opération impossible (un commentaire rejeté ne peut pas être republié)",
    "processingFailure": "YouTube n'a pas pu traiter la demande",
}


class QuotaExceeded(http.RetryLater):
    """YouTube says the day's quota is spent: nothing more until Pacific midnight."""


def daily_quota() -> int:
    return getattr(settings, "YOUTUBE_DAILY_QUOTA", DEFAULT_DAILY_QUOTA)


def pacific_day() -> str:
    return timezone.now().astimezone(PACIFIC).date().isoformat()


def seconds_until_reset() -> float:
    now = timezone.now().astimezone(PACIFIC)
    midnight = datetime.combine(now.date() + timedelta(days=1), time(0), tzinfo=PACIFIC)
    return (midnight - now).total_seconds()


def _reset_message(used: int) -> str:
    return f"Quota YouTube du jour atteint ({used}/{daily_quota()} unités) : reprise après minuit, heure du Pacifique"


class Quota:
    """The channel's units for the current Pacific day, in poll_cursor["quota"] = {"day", "used"}."""

    def __init__(self, channel, limit: int):
        self.channel, self.limit = channel, limit

    def spend(self, units: int) -> None:
        with transaction.atomic():
            row = Channel.objects.select_for_update().get(pk=self.channel.pk)
            state = self._today(row.poll_cursor)
            if state["used"] + units > self.limit:
                raise http.RetryLater(_reset_message(state["used"]), seconds_until_reset())
            state["used"] += units
            self._save(row, state)

    def exhaust(self) -> None:
        with transaction.atomic():
            row = Channel.objects.select_for_update().get(pk=self.channel.pk)
            state = self._today(row.poll_cursor)
            state["used"] = max(state["used"], daily_quota())
            self._save(row, state)

    @staticmethod
    def _today(cursor: dict) -> dict:
        state = dict((cursor or {}).get("quota") or {})
        day = pacific_day()
        return state if state.get("day") == day else {"day": day, "used": 0}

    def _save(self, row, state: dict) -> None:
        row.poll_cursor = {**(row.poll_cursor or {}), "quota": state}
        row.save(update_fields=["poll_cursor"])
        self.channel.poll_cursor = {**(self.channel.poll_cursor or {}), "quota": state}


def check(response: httpx.Response) -> None:
    """Google's error envelope (§3.7) → ConnectorError / RetryLater, in French."""
    status = response.status_code
    if status < 400:
        return
    reason, message = _reason(response)
    detail = EXPLANATIONS.get(reason, message or reason)
    if status == 401:
        raise ConnectorError(f"Jeton YouTube expiré ou révoqué : reconnectez la chaîne ({reason})", reconnect=True)
    if reason == "quotaExceeded":
        raise QuotaExceeded(_reset_message(daily_quota()), seconds_until_reset())
    if reason in ("rateLimitExceeded", "userRateLimitExceeded") or status == 429:
        wait = http.retry_after_seconds(response) or DEFAULT_RETRY_AFTER
        raise http.RetryLater(f"YouTube limite le rythme des appels ({reason or status})", wait)
    if status >= 500:
        raise ConnectorError(f"YouTube indisponible (erreur {status})")
    if status == 404:
        raise ConnectorError(f"Introuvable sur YouTube : {detail}", permanent=True)
    raise ConnectorError(f"YouTube refuse l'opération : {detail}", permanent=True)


def _reason(response: httpx.Response) -> tuple[str, str]:
    try:
        error = response.json().get("error") or {}
    except (ValueError, AttributeError):
        return "", response.text[:200]
    if not isinstance(error, dict):
        return "", str(error)[:200]
    errors = error.get("errors") or [{}]
    return errors[0].get("reason", ""), error.get("message", "")


class YouTubeClient:
    def __init__(self, access_token: str, quota: Quota, base_url: str | None = None):
        self.base_url = (base_url or settings.YOUTUBE_API_URL).rstrip("/")
        self.headers = {"Authorization": f"Bearer {access_token}"}
        self.quota = quota

    def send(self, method: str, path: str, units: int, **kwargs) -> httpx.Response:
        self.quota.spend(units)  # Google counts every request, even refused ones
        try:
            return http.send(method, self.base_url + path, check=check, policy=POLICY, headers=self.headers, **kwargs)
        except QuotaExceeded:
            self.quota.exhaust()
            raise

    def threads(self, channel_id: str, page_token: str = "") -> dict:
        params = {"part": "snippet,replies", "allThreadsRelatedToChannelId": channel_id, "maxResults": MAX_RESULTS,
                  "order": "time", "textFormat": "plainText"}  # fmt: skip
        if page_token:
            params["pageToken"] = page_token
        return self.send("GET", "/commentThreads", LIST_COST, params=params).json()

    def replies(self, thread_id: str, page_token: str = "") -> dict:
        params = {"part": "snippet", "parentId": thread_id, "maxResults": MAX_RESULTS, "textFormat": "plainText"}
        if page_token:
            params["pageToken"] = page_token
        return self.send("GET", "/comments", LIST_COST, params=params).json()

    def comment(self, comment_id: str) -> dict | None:
        params = {"part": "snippet", "id": comment_id, "textFormat": "plainText"}
        items = self.send("GET", "/comments", LIST_COST, params=params).json().get("items") or []
        return items[0] if items else None

    def insert_reply(self, thread_id: str, text: str) -> dict:
        body = {"snippet": {"parentId": thread_id, "textOriginal": text}}
        return self.send("POST", "/comments", WRITE_COST, params={"part": "snippet"}, json=body, creates=True).json()

    def set_moderation_status(self, comment_id: str, status: str, *, ban: bool = False) -> None:
        params = {"id": comment_id, "moderationStatus": status}
        if ban:
            params["banAuthor"] = "true"
        self.send("POST", "/comments/setModerationStatus", WRITE_COST, params=params)


def for_channel(channel, share: float = 1.0) -> YouTubeClient:
    """A client for the channel's token (renewed first when it expires within a minute and a refresh
    token is kept); `share` of the daily budget may be spent through it."""
    try:
        credentials = json.loads(channel.credentials or "{}")
        token = credentials["access_token"]
    except (json.JSONDecodeError, KeyError, TypeError):
        raise ConnectorError("Chaîne YouTube sans jeton d'accès : reconnectez la chaîne", reconnect=True) from None
    if credentials.get("refresh_token") and _expiring(credentials.get("expires_at")):
        token = _renew(channel, credentials)
    return YouTubeClient(token, Quota(channel, int(daily_quota() * share)))


def _expiring(expires_at: str | None) -> bool:
    return not expires_at or datetime.fromisoformat(expires_at) - timedelta(minutes=1) <= timezone.now()


def _renew(channel, credentials: dict) -> str:
    token, expires_at = tokens.refreshed(credentials["refresh_token"])
    channel.credentials = json.dumps(credentials | {"access_token": token, "expires_at": expires_at})
    type(channel).objects.filter(pk=channel.pk).update(credentials=channel.credentials)  # stored encrypted
    return token
