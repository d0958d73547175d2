"""YouTube channel: reading comments, replying and moderating (DESIGN §3, platform-apis.md §3).

YouTube cannot delete other people's comments: "delete" rejects the comment, "hide" holds it for
review (reversible), "block" rejects it and bans its author from the channel. There are no private
messages. Comments are only polled (YouTube pushes nothing for them), within the daily quota.
"""

import logging
from datetime import datetime, timedelta

from django.utils import timezone

from vigie.connectors import polling, registry
from vigie.connectors.base import ActionRequest, ActionResult, Capability, Connector
from vigie.connectors.youtube import client, payloads
from vigie.ingestion.models import Channel
from vigie.lib.http import ConnectorError, RetryLater

log = logging.getLogger(__name__)

PLATFORM = payloads.PLATFORM
LOOKBACK = timedelta(days=7)  # each poll re-reads threads this much older than the newest seen (new replies)
FIND_DONE_SLACK = timedelta(minutes=1)

CAPABILITIES = {
    "reply": Capability(True),
    "hide": Capability(True, "mis en attente d'examen sur YouTube (réversible)"),
    "unhide": Capability(True, "publié à nouveau (impossible pour un commentaire rejeté)"),
    "delete": Capability(True, "YouTube ne supprime pas les commentaires des autres : le commentaire est rejeté"),
    "block": Capability(True, "le commentaire est rejeté et son auteur banni de la chaîne"),
    "unblock": Capability(
        False, "YouTube n'offre pas d'API pour lever un bannissement : faites-le dans YouTube Studio."
    ),
    "private_reply": Capability(False, "YouTube n'offre pas de messages privés."),
    "publish_post": Capability(
        False,
        "YouTube n'offre pas d'API pour publier un post de communauté : le communiqué y part en réponse "
        "sous les commentaires de la crise, ou se publie depuis YouTube Studio.",
        nearest="reply",
    ),
}

# verb → (moderationStatus, banAuthor, what the result says)
MODERATION = {
    "hide": ("heldForReview", False, "mis en attente d'examen sur YouTube"),
    "unhide": ("published", False, "publié à nouveau sur YouTube"),
    "delete": ("rejected", False, "rejeté (YouTube ne supprime pas les commentaires des autres)"),
    "block": ("rejected", True, "rejeté, et son auteur banni de la chaîne"),
}


class YouTubeConnector(Connector):
    platform = PLATFORM
    capabilities = CAPABILITIES

    def parse(self, body: str):
        return payloads.parse(body)

    # --- actions -------------------------------------------------------------------------------

    def act(self, channel, request: ActionRequest) -> ActionResult:
        if not request.target_external_id:
            raise ConnectorError("Sur YouTube, Vigie agit sur un commentaire précis : aucun n'est désigné",
                                 permanent=True)  # fmt: skip
        api = client.for_channel(channel)
        if request.verb == "reply":
            reply = api.insert_reply(payloads.thread_of(request.target_external_id), request.text)
            return ActionResult(platform_id=reply.get("id", ""))
        status, ban, note = MODERATION[request.verb]
        api.set_moderation_status(request.target_external_id, status, ban=ban)
        return ActionResult(details={"moderation_status": status, "note": note})

    def find_done(self, channel, request: ActionRequest) -> ActionResult | None:
        if not request.target_external_id or (request.verb != "reply" and request.verb not in MODERATION):
            return None
        api = client.for_channel(channel)
        if request.verb == "reply":
            return self._find_reply(api, channel, request)
        status, _, note = MODERATION[request.verb]
        comment = api.comment(request.target_external_id)
        if comment and (comment.get("snippet") or {}).get("moderationStatus") == status:
            return ActionResult(details={"moderation_status": status, "note": note, "found": True})
        return None

    def _find_reply(self, api: client.YouTubeClient, channel, request: ActionRequest) -> ActionResult | None:
        """The channel's reply with the same text in the thread, made since the first attempt began."""
        if request.started_at is None:
            return None
        since, token = request.started_at - FIND_DONE_SLACK, ""
        while True:
            page = api.replies(payloads.thread_of(request.target_external_id), token)
            for item in page.get("items", []):
                snippet = item.get("snippet") or {}
                ours = (snippet.get("authorChannelId") or {}).get("value") == channel.external_id
                same = ours and snippet.get("textOriginal") == request.text
                if same and payloads.parse_time(snippet.get("publishedAt")) >= since:
                    return ActionResult(platform_id=item["id"], details={"found": True})
            token = page.get("nextPageToken")
            if not token:
                return None

    # --- polling -------------------------------------------------------------------------------

    def poll(self, channel) -> list[str]:
        """The channel's comment threads, newest first, down to LOOKBACK before the newest seen last
        time; the replies YouTube does not inline, where the reply count changed. Updates
        `channel.poll_cursor` (not saved). Stops, keeping what it read, when the quota runs out."""
        cursor = dict(channel.poll_cursor or {})
        if polling.paused(cursor):
            return []
        api = client.for_channel(channel, share=client.POLL_SHARE)
        newest = datetime.fromisoformat(cursor["newest"]) if cursor.get("newest") else None
        cutoff = (newest or timezone.now()) - LOOKBACK
        known, seen, bodies = cursor.get("replies", {}), {}, []
        try:
            token = ""
            while True:
                page = api.threads(channel.external_id, token)
                items = page.get("items", [])
                if items:
                    bodies.append(payloads.poll_body(payloads.THREADS, channel.external_id, page))
                for item in items:
                    self._poll_replies(api, channel, item, known, seen, bodies)
                    published = _published(item)
                    newest = max(newest, published) if newest else published
                token = page.get("nextPageToken")
                if not token or (items and _published(items[-1]) < cutoff):
                    break
        except RetryLater as exc:
            cursor = polling.pause(cursor, exc)
            channel.last_error = str(exc)
            seen = {**known, **seen}
        else:
            cursor.pop("retry_at", None)
            channel.last_error = ""
        cursor.update(replies=seen, newest=newest.isoformat() if newest else None)
        channel.poll_cursor = {**cursor, "quota": (channel.poll_cursor or {}).get("quota")}
        return bodies

    def _poll_replies(self, api, channel, item: dict, known: dict, seen: dict, bodies: list) -> None:
        thread_id, snippet = item["id"], item.get("snippet") or {}
        total = snippet.get("totalReplyCount", 0)
        inline = len((item.get("replies") or {}).get("comments", []))
        if total > inline and total != known.get(thread_id):
            token = ""
            while True:
                page = api.replies(thread_id, token)
                bodies.append(
                    payloads.poll_body(payloads.REPLIES, channel.external_id, page, snippet.get("videoId", ""))
                )
                token = page.get("nextPageToken")
                if not token:
                    break
        if total:
            seen[thread_id] = total


def _published(item: dict) -> datetime:
    top = ((item.get("snippet") or {}).get("topLevelComment") or {}).get("snippet") or {}
    return payloads.parse_time(top.get("publishedAt"))


connector = registry.register(YouTubeConnector())


@registry.poller("youtube")
def poll_channel(channel_id: int) -> list[int]:
    """Poll one YouTube channel: pages are stored as raw events and queued. Takes an id (a job)."""
    return polling.poll_channel(channel_id, PLATFORM, connector.poll, before_save=_keep_stored_quota)


def _keep_stored_quota(channel) -> None:
    """The quota may have been spent meanwhile by the outbox: keep the stored count."""
    current = Channel.objects.select_for_update().get(pk=channel.pk).poll_cursor or {}
    channel.poll_cursor["quota"] = current.get("quota")
