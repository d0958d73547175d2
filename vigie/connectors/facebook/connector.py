"""The Facebook Page connector: reads deliveries, acts on the Page, polls what webhooks may have missed.

Actions (platform-apis.md §1.8): public reply under a comment or the post, Messenger reply to a
conversation (24 h window, 7 days with the human-agent tag), one private reply per comment within 7 days,
hide / unhide, delete, block; a new post of the Page (the crisis statement, Meta's Pages API
`POST /{page-id}/feed`, see docs/crisis.md). `find_done` looks on the Page whether an interrupted attempt went through.

Polling: the comments of the Page's recent posts (cursor per post, kept in channel.poll_cursor) and the
Messenger conversations updated since the last poll. Each Graph page becomes one raw event.
"""

import json
import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from django.utils import timezone

from vigie.connectors import polling, registry
from vigie.connectors.base import ActionRequest, ActionResult, Capability, Connector, NormalizedMessage
from vigie.connectors.facebook import client, payloads
from vigie.connectors.facebook.client import Graph, NotFound, OutsideWindow
from vigie.lib.http import ConnectorError, RetryLater

log = logging.getLogger(__name__)

PRIVATE_REPLY_DAYS = 7
MESSENGER_TEXT_LIMIT = 2000
FIND_DONE_MARGIN = timedelta(minutes=5)  # our clock and Facebook's may differ a little

CAPABILITIES = {
    "reply": Capability(
        True,
        "En message privé : dans les 24 h qui suivent le dernier message de la personne "
        "(7 jours avec l'étiquette « agent humain »).",
    ),
    "private_reply": Capability(True, "Une seule réponse privée par commentaire, dans les 7 jours qui le suivent."),
    "hide": Capability(True, "Impossible sur les commentaires de la Page elle-même."),
    "unhide": Capability(True),
    "delete": Capability(True),
    "block": Capability(True, "Bloque la personne sur la Page (commentaires et Messenger)."),
    "unblock": Capability(True, "Lève le blocage sur la Page."),
    "publish_post": Capability(True, "Publication de la Page sur son fil (communiqué de crise)."),
    "report": Capability(
        False,
        "Facebook n'offre pas d'API de signalement : signalez depuis Facebook (ou PHAROS pour un contenu "
        "illégal) et notez la référence.",
        nearest="hide",
    ),
}

WINDOW_CLOSED = (
    "Fenêtre Messenger de 24 h fermée : la personne n'a pas écrit depuis plus de 24 heures. "
    "L'étiquette « agent humain » (HUMAN_AGENT) permet de répondre jusqu'à 7 jours après son dernier message."
)
HUMAN_AGENT_CLOSED = (
    "Plus de 7 jours depuis le dernier message de la personne : même avec l'étiquette « agent humain », "
    "Facebook refuse l'envoi. Attendez qu'elle vous écrive de nouveau."
)


def is_messenger(request: ActionRequest) -> bool:
    return request.thread_external_id.startswith(("psid:", "t_")) or request.target_external_id.startswith("m_")


def psid_of(request: ActionRequest) -> str:
    if request.thread_external_id.startswith("psid:"):
        return request.thread_external_id.removeprefix("psid:")
    if request.author_external_id:
        return request.author_external_id
    raise ConnectorError("Destinataire Messenger inconnu (aucun identifiant de la personne)", permanent=True)


# --- actions ------------------------------------------------------------------------------------------


def reply(graph: Graph, request: ActionRequest) -> ActionResult:
    if is_messenger(request):
        return _send_message(graph, request)
    created = graph.post(f"/{_commented_object(request)}/comments", data={"message": request.text}, creates=True)
    return ActionResult(platform_id=created["id"])


def _commented_object(request: ActionRequest) -> str:
    """The comment replied to, or else the post (`<page-id>_<post-object-id>`)."""
    if request.target_external_id:
        return request.target_external_id
    return f"{request.channel_external_id}_{request.thread_external_id}"


def _send_message(graph: Graph, request: ActionRequest) -> ActionResult:
    if len(request.text) > MESSENGER_TEXT_LIMIT:
        raise ConnectorError("Message trop long pour Messenger (2 000 caractères au plus)", permanent=True)
    human_agent = request.options.get("tag") == "HUMAN_AGENT"
    body = {"recipient": {"id": psid_of(request)}, "message": {"text": request.text}}
    body |= {"messaging_type": "MESSAGE_TAG", "tag": "HUMAN_AGENT"} if human_agent else {"messaging_type": "RESPONSE"}
    try:
        sent = graph.post(f"/{request.channel_external_id}/messages", json=body, creates=True)
    except OutsideWindow as exc:
        raise ConnectorError(f"{HUMAN_AGENT_CLOSED if human_agent else WINDOW_CLOSED} ({exc})", permanent=True) from exc
    return ActionResult(platform_id=sent.get("message_id", ""), details={"recipient_id": sent.get("recipient_id")})


def private_reply(graph: Graph, request: ActionRequest) -> ActionResult:
    comment = _comment(graph, request.target_external_id, "created_time,can_reply_privately,private_reply_conversation")
    if comment.get("private_reply_conversation"):
        raise ConnectorError(
            "Ce commentaire a déjà reçu une réponse privée : Facebook n'en permet qu'une par commentaire.",
            permanent=True,
        )
    written = payloads.moment(comment.get("created_time"))
    if written and timezone.now() - written > timedelta(days=PRIVATE_REPLY_DAYS):
        raise ConnectorError(
            "Plus de 7 jours depuis ce commentaire : Facebook n'autorise plus de réponse privée. "
            "Répondez publiquement, ou attendez que la personne vous écrive en privé.",
            permanent=True,
        )
    if comment.get("can_reply_privately") is False:
        raise ConnectorError("Facebook n'autorise pas de réponse privée à ce commentaire.", permanent=True)
    body = {"recipient": {"comment_id": request.target_external_id}, "message": {"text": request.text}}
    sent = graph.post(f"/{request.channel_external_id}/messages", json=body, creates=True)
    return ActionResult(platform_id=sent.get("message_id", ""), details={"recipient_id": sent.get("recipient_id")})


def _comment(graph: Graph, comment_id: str, fields: str) -> dict:
    if not comment_id:
        raise ConnectorError("Aucun commentaire visé", permanent=True)
    return graph.get(f"/{comment_id}", {"fields": f"id,{fields}"})


def _set_hidden(hidden: bool) -> Callable[[Graph, ActionRequest], ActionResult]:
    def act(graph: Graph, request: ActionRequest) -> ActionResult:
        if is_messenger(request):
            raise ConnectorError("Un message Messenger ne se masque pas.", permanent=True)
        graph.post(f"/{request.target_external_id}", data={"is_hidden": "true" if hidden else "false"})
        return ActionResult(details={"is_hidden": hidden})

    return act


def delete(graph: Graph, request: ActionRequest) -> ActionResult:
    if is_messenger(request):
        raise ConnectorError("Facebook ne permet pas de supprimer un message Messenger reçu.", permanent=True)
    try:
        graph.delete(f"/{request.target_external_id}")
    except NotFound:  # already gone (its author or a moderator removed it): what was asked is true
        return ActionResult(details={"already_gone": True})
    return ActionResult(details={"deleted": True})


def _block_params(request: ActionRequest) -> dict[str, str]:
    if is_messenger(request):
        return {"psid": psid_of(request)}
    if request.author_external_id in ("", payloads.UNKNOWN_AUTHOR):
        raise ConnectorError("Auteur inconnu : Facebook ne l'a pas nommé, impossible de le bloquer.", permanent=True)
    return {"user": request.author_external_id}


def block(graph: Graph, request: ActionRequest) -> ActionResult:
    key, who = next(iter(_block_params(request).items()))
    graph.post(f"/{request.channel_external_id}/blocked", data={key: json.dumps([who])})
    return ActionResult(platform_id=who, details={"blocked": who})


def unblock(graph: Graph, request: ActionRequest) -> ActionResult:
    params = _block_params(request)
    graph.delete(f"/{request.channel_external_id}/blocked", params)
    return ActionResult(platform_id=next(iter(params.values())), details={"unblocked": True})


def publish_post(graph: Graph, request: ActionRequest) -> ActionResult:
    """A new post of the Page on its feed (`POST /{page-id}/feed`, pages_manage_posts, the CREATE_CONTENT
    task): `{"id": "<page-id>_<post-id>"}`."""
    if not request.text.strip():
        raise ConnectorError("Publication vide", permanent=True)
    created = graph.post(f"/{request.channel_external_id}/feed", data={"message": request.text}, creates=True)
    return ActionResult(platform_id=created["id"], details={"permalink": post_permalink(created["id"])})


def post_permalink(post_id: str) -> str:
    page, _, post = post_id.partition("_")
    return f"https://www.facebook.com/{page}/posts/{post}" if post else ""


ACTIONS: dict[str, Callable[[Graph, ActionRequest], ActionResult]] = {
    "reply": reply,
    "private_reply": private_reply,
    "hide": _set_hidden(True),
    "unhide": _set_hidden(False),
    "delete": delete,
    "block": block,
    "unblock": unblock,
    "publish_post": publish_post,
}


# --- after a crash: is it already done? ---------------------------------------------------------------


def _since(request: ActionRequest) -> datetime:
    return (request.started_at or timezone.now()) - FIND_DONE_MARGIN


def reply_done(graph: Graph, request: ActionRequest) -> ActionResult | None:
    if is_messenger(request):
        return _message_done(graph, request)
    found = _reply_under(graph, _commented_object(request), request)
    if found is None and request.target_external_id:
        # Facebook may file a reply to a reply under the top comment [unconf]: look there too.
        parent = (_comment(graph, request.target_external_id, "parent").get("parent") or {}).get("id")
        found = _reply_under(graph, parent, request) if parent else None
    return found


def _reply_under(graph: Graph, object_id: str, request: ActionRequest) -> ActionResult | None:
    """The Page's comment with the request's text under `object_id`, written since the attempt began."""
    params = {"fields": "id,from,message,created_time", "filter": "toplevel", "order": "reverse_chronological"}
    since = _since(request)
    for page in graph.pages(f"/{object_id}/comments", params | {"limit": 50}):
        for node in page.get("data", []):
            created = payloads.moment(node.get("created_time"))
            if created and created < since:
                return None
            if _from_page(node, request) and node.get("message") == request.text:
                return ActionResult(platform_id=node["id"], details={"found_after_interruption": True})
    return None


def _message_done(graph: Graph, request: ActionRequest) -> ActionResult | None:
    params = {
        "platform": "messenger",
        "user_id": psid_of(request),
        "fields": "id,messages.limit(20){id,created_time,from,message}",
    }
    since = _since(request)
    for conversation in graph.get(f"/{request.channel_external_id}/conversations", params).get("data", []):
        for node in (conversation.get("messages") or {}).get("data", []):
            created = payloads.moment(node.get("created_time"))
            if _from_page(node, request) and node.get("message") == request.text and created and created >= since:
                return ActionResult(platform_id=node["id"], details={"found_after_interruption": True})
    return None


def _from_page(node: dict, request: ActionRequest) -> bool:
    return str((node.get("from") or {}).get("id")) == request.channel_external_id


def private_reply_done(graph: Graph, request: ActionRequest) -> ActionResult | None:
    comment = _comment(graph, request.target_external_id, "private_reply_conversation")
    conversation = comment.get("private_reply_conversation")
    if not conversation:
        return None
    return ActionResult(details={"conversation": conversation, "found_after_interruption": True})


def _hidden_done(hidden: bool):
    def done(graph: Graph, request: ActionRequest) -> ActionResult | None:
        if _comment(graph, request.target_external_id, "is_hidden").get("is_hidden") is hidden:
            return ActionResult(details={"is_hidden": hidden})
        return None

    return done


def delete_done(graph: Graph, request: ActionRequest) -> ActionResult | None:
    try:
        _comment(graph, request.target_external_id, "created_time")
    except NotFound:
        return ActionResult(details={"already_gone": True})
    return None


def block_done(graph: Graph, request: ActionRequest) -> ActionResult | None:
    listed = graph.get(f"/{request.channel_external_id}/blocked", _block_params(request))
    if listed.get("data"):
        who = next(iter(_block_params(request).values()))
        return ActionResult(platform_id=who, details={"blocked": who})
    return None


def unblock_done(graph: Graph, request: ActionRequest) -> ActionResult | None:
    listed = graph.get(f"/{request.channel_external_id}/blocked", _block_params(request))
    return None if listed.get("data") else ActionResult(details={"unblocked": True})


def publish_post_done(graph: Graph, request: ActionRequest) -> ActionResult | None:
    """The Page's own post with the request's text, made since the attempt began."""
    params = {"fields": "id,message,created_time", "limit": 25}
    since = _since(request)
    for node in graph.get(f"/{request.channel_external_id}/posts", params).get("data", []):
        created = payloads.moment(node.get("created_time"))
        if created and created >= since and node.get("message") == request.text:
            return ActionResult(platform_id=node["id"], details={"permalink": post_permalink(node["id"]),
                                                                  "found_after_interruption": True})  # fmt: skip
    return None


DONE_CHECKS: dict[str, Callable[[Graph, ActionRequest], ActionResult | None]] = {
    "reply": reply_done,
    "private_reply": private_reply_done,
    "hide": _hidden_done(True),
    "unhide": _hidden_done(False),
    "delete": delete_done,
    "block": block_done,
    "unblock": unblock_done,
    "publish_post": publish_post_done,
}


# --- polling -----------------------------------------------------------------------------------------

WATCH_DAYS = 30  # posts younger than this are polled for comments
MAX_POSTS = 50
COMMENTS_PAGE = 100  # comments asked per Graph page
COMMENT_FIELDS = "id,message,from,created_time,parent{id},is_hidden,attachment,permalink_url"
POST_FIELDS = "id,message,permalink_url,created_time,comments.filter(stream).limit(0).summary(true)"
CONVERSATION_FIELDS = "id,updated_time,participants,messages.limit(20){id,created_time,from,to,message,attachments}"
SLOW_DOWN_AT, STOP_AT = 80, 95  # percent of the Page's Graph budget (X-Business-Use-Case-Usage)
SLOW_DOWN_SECONDS = 2.0
STOP_WAIT = 600.0  # when Facebook does not say when the budget comes back


class Poller:
    """One poll of one Page: bodies to store, and the new cursor once everything was read."""

    def __init__(self, graph: Graph, page_id: str, cursor: dict):
        self.graph, self.page_id = graph, page_id
        self.cursor = json.loads(json.dumps(cursor or {}))  # a copy: saved only after a full poll
        self.bodies: list[str] = []

    def run(self) -> list[str]:
        seen = self.cursor.get("posts", {})
        watched = {}
        for post in self._recent_posts():
            watched[post["id"]] = self._post_comments(post, seen.get(post["id"], {}))
        self.cursor["posts"] = watched
        self._conversations()
        return self.bodies

    def _throttled(self, call: Callable[[], dict]) -> dict:
        page = call()
        usage = self.graph.usage
        if usage.peak >= STOP_AT:
            wait = usage.regain_minutes * 60 or STOP_WAIT
            raise RetryLater(f"Quota d'appels Facebook presque épuisé ({usage.peak:.0f} %) : collecte suspendue", wait)
        if usage.peak >= SLOW_DOWN_AT:
            time.sleep(SLOW_DOWN_SECONDS)
        return page

    def _pages(self, path: str, params: dict):
        return self.graph.pages(path, params, through=self._throttled)

    def _recent_posts(self) -> list[dict]:
        oldest = timezone.now() - timedelta(days=WATCH_DAYS)
        posts = []
        for page in self._pages(f"/{self.page_id}/posts", {"fields": POST_FIELDS, "limit": 25}):
            for post in page.get("data", []):
                created = payloads.moment(post.get("created_time"))
                if (created and created < oldest) or len(posts) >= MAX_POSTS:
                    return posts
                posts.append(post)
        return posts

    def _post_comments(self, post: dict, seen: dict) -> dict:
        """Comments after the post's cursor; the cursor and count to keep for the next poll."""
        count = ((post.get("comments") or {}).get("summary") or {}).get("total_count")
        if seen and count is not None and count == seen.get("count"):
            return seen  # nothing new on this post: one call saved
        params = {"fields": COMMENT_FIELDS, "filter": "stream", "order": "chronological", "limit": COMMENTS_PAGE}
        after = seen.get("after")
        for page in self._pages(f"/{post['id']}/comments", params | ({"after": after} if after else {})):
            if page.get("data"):
                self._keep(
                    {"vigie_poll": "comments", "page_id": self.page_id, "post": _post_node(post), "data": page["data"]}
                )
                after = ((page.get("paging") or {}).get("cursors") or {}).get("after") or after
        return {"after": after, "count": count}

    def _conversations(self) -> None:
        """Conversations updated since the last poll (the API has no `since`: they come newest first)."""
        seen = self.cursor.get("conversations") or {}
        since = seen.get("since") or _iso(timezone.now() - timedelta(days=WATCH_DAYS))
        read_at_since = set(seen.get("read_at_since", []))  # Graph times are whole seconds
        params = {"platform": "messenger", "fields": CONVERSATION_FIELDS, "limit": 25}
        fresh_ones = []
        for page in self._pages(f"/{self.page_id}/conversations", params):
            data = page.get("data", [])
            fresh = [c for c in data if _unread(c, since, read_at_since)]
            if fresh:
                self._keep({"vigie_poll": "conversations", "page_id": self.page_id, "data": fresh})
                fresh_ones += fresh
            if len(fresh) < len(data):
                break  # the rest was read before
        newest = max([since] + [_iso(c.get("updated_time")) for c in fresh_ones])
        at_newest = {c.get("id") for c in fresh_ones if _iso(c.get("updated_time")) == newest}
        self.cursor["conversations"] = {
            "since": newest,
            "read_at_since": sorted(at_newest | (read_at_since if newest == since else set())),
        }

    def _keep(self, body: dict) -> None:
        self.bodies.append(json.dumps(body, ensure_ascii=False, sort_keys=True))


def _unread(conversation: dict, since: str, read_at_since: set[str]) -> bool:
    updated = _iso(conversation.get("updated_time"))
    return updated > since or (updated == since and conversation.get("id") not in read_at_since)


def _post_node(post: dict) -> dict:
    return {key: post[key] for key in ("id", "message", "permalink_url", "created_time") if key in post}


def _iso(value) -> str:
    """Graph times as comparable UTC strings (they all come as "…+0000")."""
    found = value if isinstance(value, datetime) else payloads.moment(value)
    return found.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S") if found else ""


# --- the connector ------------------------------------------------------------------------------------


class FacebookConnector(Connector):
    platform = "facebook"
    capabilities = CAPABILITIES

    def parse(self, body: str) -> list[NormalizedMessage]:
        return payloads.parse(body)

    def act(self, channel, request: ActionRequest) -> ActionResult:
        return ACTIONS[request.verb](client.for_channel(channel), request)

    def find_done(self, channel, request: ActionRequest) -> ActionResult | None:
        check = DONE_CHECKS.get(request.verb)
        return check(client.for_channel(channel), request) if check else None

    def poll(self, channel) -> list[str]:
        """Raw bodies to store; channel.poll_cursor is updated (not saved) when the poll went through."""
        poller = Poller(client.for_channel(channel), channel.external_id, channel.poll_cursor)
        bodies = poller.run()
        poller.cursor.pop("retry_at", None)
        channel.poll_cursor = poller.cursor | {"polled_at": timezone.now().isoformat()}
        channel.last_error = ""
        return bodies


connector = registry.register(FacebookConnector())


@registry.poller("facebook")
def poll_channel(channel_id: int) -> list[int]:
    """Poll one connected Facebook channel; store and queue what came back. Returns the raw event ids."""
    return polling.poll_channel(channel_id, "facebook", connector.poll)
