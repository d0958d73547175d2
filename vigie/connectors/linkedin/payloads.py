"""LinkedIn JSON → NormalizedMessage. Pure: no HTTP, no database.

Two kinds of raw events are read:
- a social action notification delivery (webhook, platform-apis.md §2.5);
- a page of comments fetched by the poller, wrapped by `poll_body` so that it carries what the
  comment objects lack (the organisation, the post, the target whose comments were listed).

Identities, the same whichever way a comment arrives:
- message id = the comment URN, `urn:li:comment:(urn:li:activity:…,<id>)` (the short form
  `(activity:…,…)` seen in some notifications is expanded);
- thread id = the post URN as /posts lists it (`urn:li:share:…` or `urn:li:ugcPost:…`), which a
  notification gives as `decoratedSourcePost.entity`;
- author id = the actor URN. LinkedIn embeds no names: the name is a readable fallback.
A notification does not name the comment a reply answers; a polled page does (`parentComment`).
"""

import json
import re
from datetime import datetime
from urllib.parse import quote

from vigie.connectors.base import NormalizedMessage, NormalizedPost, ParseError, from_timestamp, load_json

PLATFORM = "linkedin"
NOTIFICATION_TYPE = "ORGANIZATION_SOCIAL_ACTION_NOTIFICATIONS"
POLL_MARK = "comments"

_COMMENT_URN = re.compile(r"^urn:li:comment:\((?P<container>[^,()]+),(?P<id>[^,()]+)\)$")

# Notifications Vigie does not turn into messages, and why (each one is tested).
IGNORED = {
    "ADMIN_COMMENT": "commentaire de l'organisation elle-même (nos propres réponses)",
    "LIKE": "une réaction n'est pas un message",
    "SHARE": "un partage sans texte à modérer",
    "SHARE_MENTION": "une mention dans un autre post, hors de nos fils de commentaires",
}


# --- URNs ---------------------------------------------------------------------------------------


def comment_urn(urn: str) -> str:
    """The canonical comment URN: `urn:li:comment:(activity:1,2)` → `urn:li:comment:(urn:li:activity:1,2)`."""
    match = _COMMENT_URN.match(urn or "")
    if match is None:
        raise ParseError(f"URN de commentaire LinkedIn illisible : {urn!r}")
    container = match["container"]
    if not container.startswith("urn:li:"):
        container = f"urn:li:{container}"
    return f"urn:li:comment:({container},{match['id']})"


def split_comment_urn(urn: str) -> tuple[str, str]:
    """(container URN, comment id) of a comment URN."""
    match = _COMMENT_URN.match(comment_urn(urn))
    return match["container"], match["id"]


def is_comment_urn(urn: str) -> bool:
    return (urn or "").startswith("urn:li:comment:")


def post_permalink(post_urn: str) -> str:
    return f"https://www.linkedin.com/feed/update/{post_urn}/"


def comment_permalink(urn: str) -> str:
    container, _ = split_comment_urn(urn)
    return f"https://www.linkedin.com/feed/update/{container}/?commentUrn={quote(urn, safe='')}"


def author_name(actor: str) -> str:
    """A readable name for an actor URN: LinkedIn does not embed names in comments."""
    kind, _, key = actor.removeprefix("urn:li:").partition(":")
    if kind == "organization":
        return f"Organisation LinkedIn {key}"
    return f"Membre LinkedIn {key[:6]}" if key else "Membre LinkedIn"


def from_epoch_ms(value, name: str) -> datetime:
    if not isinstance(value, int) or isinstance(value, bool):
        raise ParseError(f"« {name} » doit être une date en millisecondes")
    return from_timestamp(value / 1000, name)


# --- entry point --------------------------------------------------------------------------------


def parse(body: str) -> list[NormalizedMessage]:
    data = load_json(body)
    if not isinstance(data, dict):
        raise ParseError("un événement LinkedIn doit être un objet JSON")
    if data.get("type") == NOTIFICATION_TYPE:
        return parse_notifications(data)
    if data.get("vigie_poll") == POLL_MARK:
        return parse_comments_page(data)
    raise ParseError(f"événement LinkedIn inconnu (type {data.get('type')!r})")


# --- webhook: organization social action notifications ------------------------------------------


def parse_notifications(data: dict) -> list[NormalizedMessage]:
    notifications = data.get("notifications")
    if not isinstance(notifications, list):
        raise ParseError("« notifications » doit être une liste")
    messages = []
    for notification in notifications:
        action = notification.get("action") if isinstance(notification, dict) else None
        if action in IGNORED:
            continue
        if action not in ("COMMENT", "COMMENT_EDIT", "COMMENT_DELETE"):
            raise ParseError(f"action LinkedIn inconnue : {action!r}")
        messages.append(_from_notification(notification, removed=action == "COMMENT_DELETE"))
    return messages


def _from_notification(notification: dict, *, removed: bool) -> NormalizedMessage:
    comment = (notification.get("decoratedGeneratedActivity") or {}).get("comment") or {}
    source = notification.get("decoratedSourcePost") or {}
    urn = comment_urn(notification.get("generatedActivity") or comment.get("entity") or "")
    post_urn = source.get("entity") or notification.get("sourcePost")
    organization = notification.get("organizationalEntity")
    if not post_urn or not organization:
        raise ParseError("notification LinkedIn sans « sourcePost » ou « organizationalEntity »")
    text = comment.get("text")
    if text is None:
        text = (comment.get("message") or {}).get("text", "")
    owner = comment.get("owner") or ""
    return NormalizedMessage(
        platform=PLATFORM,
        channel_external_id=organization,
        kind="comment",
        external_id=urn,
        thread_external_id=post_urn,
        author_external_id=owner or "urn:li:person:inconnu",
        author_name=author_name(owner) if owner else "Membre LinkedIn",
        author_name_known=False,
        text="" if removed else text,
        created_at=from_epoch_ms(notification.get("lastModifiedAt"), "lastModifiedAt"),
        post=NormalizedPost(external_id=post_urn, text=source.get("text", ""), permalink=post_permalink(post_urn)),
        removed=removed,
        permalink=comment_permalink(urn),
    )


# --- polling: pages of comments -----------------------------------------------------------------


def poll_body(organization: str, post: dict, target: str, elements: list[dict]) -> str:
    """The raw event the poller stores for one page of comments (stable: same page, same body)."""
    body = {"vigie_poll": POLL_MARK, "organization": organization, "post": post, "target": target,
            "elements": elements}  # fmt: skip
    return json.dumps(body, sort_keys=True, ensure_ascii=False)


def element_urn(element: dict) -> str:
    """A comment element's URN: `commentUrn`, or (older versions) built from `object` and `id`."""
    if element.get("commentUrn"):
        return comment_urn(element["commentUrn"])
    if not element.get("object") or not element.get("id"):
        raise ParseError("commentaire LinkedIn sans « commentUrn » ni « object » et « id »")
    return comment_urn(f"urn:li:comment:({element['object']},{element['id']})")


def reply_count(element: dict) -> int | None:
    """How many replies LinkedIn says a comment has, when it says it."""
    summary = element.get("commentsSummary")
    if not isinstance(summary, dict):
        return None
    count = summary.get("totalFirstLevelComments", summary.get("aggregatedTotalComments"))
    return count if isinstance(count, int) else None


def parse_comments_page(data: dict) -> list[NormalizedMessage]:
    organization, post, target = data.get("organization"), data.get("post"), data.get("target", "")
    elements = data.get("elements")
    if not organization or not isinstance(post, dict) or not post.get("id") or not isinstance(elements, list):
        raise ParseError("page de commentaires LinkedIn incomplète (organization, post, elements)")
    normalized_post = _post(post)
    default_parent = comment_urn(target) if is_comment_urn(target) else None
    return [
        _from_element(element, organization, normalized_post, default_parent)
        for element in elements
        if element.get("actor") != organization  # our own comments: already in the inbox as replies
    ]


def _post(post: dict) -> NormalizedPost:
    published = post.get("publishedAt") or post.get("createdAt")
    return NormalizedPost(
        external_id=post["id"],
        text=post.get("commentary", ""),
        permalink=post_permalink(post["id"]),
        published_at=from_epoch_ms(published, "post.publishedAt") if published else None,
    )


def _from_element(element: dict, organization: str, post: NormalizedPost, parent: str | None) -> NormalizedMessage:
    actor = element.get("actor")
    if not actor:
        raise ParseError("commentaire LinkedIn sans « actor »")
    urn = element_urn(element)
    if element.get("parentComment"):
        parent = comment_urn(element["parentComment"])
    return NormalizedMessage(
        platform=PLATFORM,
        channel_external_id=organization,
        kind="comment",
        external_id=urn,
        thread_external_id=post.external_id,
        author_external_id=actor,
        author_name=author_name(actor),
        author_name_known=False,
        text=(element.get("message") or {}).get("text", ""),
        created_at=from_epoch_ms((element.get("created") or {}).get("time"), "created.time"),
        parent_external_id=parent,
        post=post,
        permalink=comment_permalink(urn),
    )
