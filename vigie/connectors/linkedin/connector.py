"""LinkedIn organisation page: reading comments, replying and deleting (DESIGN §3, platform-apis.md §2), and
publishing a post of the organisation (the crisis statement, Posts API `POST /rest/posts`, see docs/crisis.md).

LinkedIn's API has no hide, block, report or page messaging: those verbs are refused with the reason
and the nearest thing a person can do (`capabilities`). Comments arrive by webhook (webhooks.py) and
by polling the organisation's recent posts (`poll_channel`).
"""

import logging
from datetime import timedelta
from urllib.parse import unquote

from vigie.connectors import polling, registry
from vigie.connectors.base import ActionRequest, ActionResult, Capability, Connector, ParseError
from vigie.connectors.linkedin import client, payloads
from vigie.lib.http import ConnectorError, RetryLater

log = logging.getLogger(__name__)

PLATFORM = payloads.PLATFORM
FIND_DONE_SLACK = timedelta(minutes=1)  # clocks differ: a reply may carry a time just before started_at

# `nearest` is a verb when one fits, else the task to do by hand in LinkedIn's own interface.
CAPABILITIES = {
    "reply": Capability(True),
    "delete": Capability(True),
    "publish_post": Capability(True, "Publication de la page de l'organisation (communiqué de crise)."),
    "hide": Capability(False, "LinkedIn ne permet pas de masquer un commentaire.", nearest="delete"),
    "unhide": Capability(False, "LinkedIn ne permet pas de masquer un commentaire, ni donc de le réafficher."),
    "block": Capability(
        False,
        "LinkedIn n'offre pas d'API pour bloquer un membre.",
        nearest="Bloquer depuis la page LinkedIn (interface web)",
    ),
    "unblock": Capability(False, "LinkedIn n'offre pas d'API pour bloquer ni débloquer un membre."),
    "private_reply": Capability(False, "LinkedIn n'offre pas de messagerie de page."),
}


POST_LENGTH = 3000  # characters of a post's commentary [unconf: one source says longer text is cut silently]
LITTLE_RESERVED = frozenset("|{}@[]()<>#\\*_~")  # « little » text: escaped with a backslash to stay plain text


def little_text(text: str) -> str:
    """Plain text as the Posts API's `commentary` (little text format): reserved characters escaped, else
    LinkedIn reads them as mentions, hashtags or templates (and may cut the text there)."""
    return "".join("\\" + char if char in LITTLE_RESERVED else char for char in text)


def post_body(organization: str, text: str) -> dict:
    return {
        "author": organization,
        "commentary": little_text(text),
        "visibility": "PUBLIC",
        "distribution": {"feedDistribution": "MAIN_FEED", "targetEntities": [], "thirdPartyDistributionChannels": []},
        "lifecycleState": "PUBLISHED",
        "isReshareDisabledByAuthor": False,
    }


class LinkedInConnector(Connector):
    platform = PLATFORM
    capabilities = CAPABILITIES

    def parse(self, body: str):
        return payloads.parse(body)

    # --- actions -------------------------------------------------------------------------------

    def act(self, channel, request: ActionRequest) -> ActionResult:
        api = client.for_channel(channel)
        if request.verb == "reply":
            return self._reply(api, channel, request)
        if request.verb == "publish_post":
            return self._publish(api, channel, request)
        return self._delete(api, channel, request)

    def _publish(self, api: client.LinkedInClient, channel, request: ActionRequest) -> ActionResult:
        """A post of the organisation, public, on the main feed (Posts API); `commentary` is « little » text."""
        if not request.text.strip():
            raise ConnectorError("Publication vide", permanent=True)
        if len(request.text) > POST_LENGTH:
            said = f"{len(request.text)} caractères, {POST_LENGTH} au plus"
            raise ConnectorError(f"Texte trop long pour LinkedIn ({said})", permanent=True)
        response = api.create_post(post_body(channel.external_id, request.text))
        urn = unquote(response.headers.get("x-restli-id", ""))
        if not urn:
            raise ConnectorError("LinkedIn n'a pas donné l'identifiant de la publication créée")
        return ActionResult(platform_id=urn, details={"permalink": payloads.post_permalink(urn)})

    def _reply(self, api: client.LinkedInClient, channel, request: ActionRequest) -> ActionResult:
        target, parent = _reply_target(api, request)
        subject = payloads.split_comment_urn(parent)[0] if parent else target
        body = {"actor": channel.external_id, "object": subject, "message": {"text": request.text}}
        if parent:
            body["parentComment"] = parent
        response = api.create_comment(target, body)
        return ActionResult(platform_id=_created_urn(response, subject))

    def _delete(self, api: client.LinkedInClient, channel, request: ActionRequest) -> ActionResult:
        container, comment_id = _delete_path(api, request)
        try:
            api.delete_comment(container, comment_id, actor=channel.external_id)
        except client.NotFound:
            return ActionResult(details={"note": "déjà supprimé sur LinkedIn"})
        return ActionResult(details={"note": "supprimé sur LinkedIn"})

    def find_done(self, channel, request: ActionRequest) -> ActionResult | None:
        api = client.for_channel(channel)
        if request.verb == "reply":
            return self._find_reply(api, channel, request)
        if request.verb == "publish_post":
            return self._find_post(api, channel, request)
        if request.verb == "delete":
            container, comment_id = _delete_path(api, request)
            if api.comment(container, comment_id) is None:
                return ActionResult(details={"note": "déjà supprimé sur LinkedIn"})
        return None

    def _find_reply(self, api: client.LinkedInClient, channel, request: ActionRequest) -> ActionResult | None:
        """Our comment with the same text under the same target, made since the first attempt began."""
        if request.started_at is None:
            return None
        since = int((request.started_at - FIND_DONE_SLACK).timestamp() * 1000)
        target, _ = _reply_target(api, request)
        for elements in api.comment_pages(target):
            for element in elements:
                ours = element.get("actor") == channel.external_id
                same = (element.get("message") or {}).get("text") == request.text
                if ours and same and (element.get("created") or {}).get("time", 0) >= since:
                    return ActionResult(platform_id=payloads.element_urn(element), details={"found": True})
        return None

    def _find_post(self, api: client.LinkedInClient, channel, request: ActionRequest) -> ActionResult | None:
        """The organisation's post with the same commentary, made since the first attempt began."""
        if request.started_at is None:
            return None
        since = int((request.started_at - FIND_DONE_SLACK).timestamp() * 1000)
        commentary = little_text(request.text)
        for post in api.posts(channel.external_id):
            if post.get("commentary") == commentary and (post.get("createdAt") or 0) >= since:
                return ActionResult(platform_id=post["id"], details={"permalink": payloads.post_permalink(post["id"]),
                                                                     "found": True})  # fmt: skip
        return None

    # --- polling -------------------------------------------------------------------------------

    def poll(self, channel) -> list[str]:
        """Pages of comments on the organisation's recent posts, as raw event bodies. Updates
        `channel.poll_cursor` (not saved): the reply count of each comment seen, so that replies are
        listed again only where LinkedIn says there are new ones."""
        cursor = dict(channel.poll_cursor or {})
        if polling.paused(cursor):
            return []
        api = client.for_channel(channel)
        known, seen, bodies = cursor.get("replies", {}), {}, []
        try:
            for post in api.posts(channel.external_id):
                try:
                    self._poll_post(api, channel.external_id, post, known, seen, bodies)
                except client.NotFound:
                    continue  # deleted while we were reading it
        except RetryLater as exc:
            cursor = polling.pause(cursor, exc)
            channel.last_error = str(exc)
            seen = {**known, **seen}  # what was not reached this time is kept for the next poll
        else:
            cursor.pop("retry_at", None)
            channel.last_error = ""
        cursor["replies"] = seen
        channel.poll_cursor = cursor
        return bodies

    def _poll_post(self, api, organization: str, post: dict, known: dict, seen: dict, bodies: list) -> None:
        for elements in api.comment_pages(post["id"]):
            bodies.append(payloads.poll_body(organization, post, post["id"], elements))
            for element in elements:
                try:
                    urn = payloads.element_urn(element)
                except ParseError:
                    continue  # the page is stored anyway: processing will say what is wrong
                count = payloads.reply_count(element)
                if _replies_may_have_changed(known.get(urn), count):
                    for replies in api.comment_pages(urn):
                        bodies.append(payloads.poll_body(organization, post, urn, replies))
                seen[urn] = -1 if count is None else count


def _replies_may_have_changed(known: int | None, count: int | None) -> bool:
    if count is None:  # LinkedIn gave no reply count: look once, when the comment is new
        return known is None
    return count > 0 and count != known


# --- targets ------------------------------------------------------------------------------------


def _comment_urn(urn: str) -> str:
    try:
        return payloads.comment_urn(urn)
    except ParseError as exc:
        raise ConnectorError(str(exc), permanent=True) from exc


def _parent_of(api: client.LinkedInClient, request: ActionRequest, urn: str) -> str | None:
    """The comment a reply answers (LinkedIn nests replies one level deep): as the request says Vigie
    recorded it (polling names every reply's parent); for a comment that came by webhook (notifications
    do not name the parent), as LinkedIn lists it."""
    known = request.target_parent_external_id
    if known is None:
        return _listed_parent(api, urn)
    return _comment_urn(known) if known else None


def _listed_parent(api: client.LinkedInClient, urn: str) -> str | None:
    container, _ = payloads.split_comment_urn(urn)
    for elements in api.comment_pages(container):
        for element in elements:
            top = payloads.element_urn(element)
            if top == urn:
                return None
            if payloads.reply_count(element) == 0:
                continue
            for replies in api.comment_pages(top):
                if any(payloads.element_urn(reply) == urn for reply in replies):
                    return top
    return None


def _reply_target(api: client.LinkedInClient, request: ActionRequest) -> tuple[str, str | None]:
    """(where to post, parentComment): under the top-level comment, or on the post itself."""
    if not request.target_external_id:
        return request.thread_external_id, None
    urn = _comment_urn(request.target_external_id)
    top = _parent_of(api, request, urn) or urn
    return top, top


def _delete_path(api: client.LinkedInClient, request: ActionRequest) -> tuple[str, str]:
    """(container, comment id): a reply lives under its parent comment, a comment under its post."""
    urn = _comment_urn(request.target_external_id)
    container, comment_id = payloads.split_comment_urn(urn)
    return _parent_of(api, request, urn) or container, comment_id


def _created_urn(response, subject: str) -> str:
    """The created comment's URN: in the body (recent versions), else from the x-restli-id header."""
    try:
        body = response.json()
    except ValueError:
        body = {}
    if isinstance(body, dict) and body.get("commentUrn"):
        return payloads.comment_urn(body["commentUrn"])
    key = response.headers.get("x-restli-id") or (body.get("id") if isinstance(body, dict) else "")
    if not key:
        return ""
    key = unquote(key)
    return payloads.comment_urn(key) if payloads.is_comment_urn(key) else f"urn:li:comment:({subject},{key})"


connector = registry.register(LinkedInConnector())


# --- the polling job ----------------------------------------------------------------------------


@registry.poller("linkedin")
def poll_channel(channel_id: int) -> list[int]:
    """Poll one LinkedIn page: new pages are stored as raw events and queued. Takes an id (a job)."""
    return polling.poll_channel(channel_id, PLATFORM, connector.poll)
