"""Facebook deliveries and poll pages → NormalizedMessages (platform-apis.md §1.4–§1.8).

One function reads every body Vigie stores for Facebook:
- a webhook delivery `{"object": "page", "entry": [...]}`: feed changes (comments) and Messenger events,
  several entries and changes per delivery;
- a poll page written by `connector.poll`: `{"vigie_poll": "comments", "page_id", "post", "data": [...]}`
  or `{"vigie_poll": "conversations", "page_id", "data": [...]}`, holding Graph nodes as the API returned them.

Comment threads are keyed by the post's object id (the part after the page id in `post_id`, as in the
message contract); Messenger conversations by the person's page-scoped id, `psid:<PSID>`, which both the
webhook and the conversations API give. What Vigie does not keep is listed in IGNORED with the reason.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings

from vigie.connectors.base import NormalizedMessage, NormalizedPost, ParseError, from_timestamp, load_json

PLATFORM = "facebook"
UNKNOWN_AUTHOR = "unknown"

IGNORED = {
    "reaction": "réaction (j'aime, j'adore…) à une publication ou un commentaire : ce n'est pas un message",
    "like": "mention « j'aime » (ancien format) : ce n'est pas un message",
    "feed_item": "élément du fil autre qu'un commentaire (publication, statut, photo, partage…)",
    "comment_verb": "action sur un commentaire que Vigie ne suit pas (block, mute, follow, update…)",
    "own_comment": "commentaire de la Page elle-même (nos réponses) : le garder ferait boucler",
    "own_message": "message envoyé par la Page, relu dans une conversation",
    "field": "champ du webhook que Vigie ne suit pas (mention, ratings…)",
    "echo": "écho Messenger d'un message envoyé par Vigie (déjà enregistré par la file d'envoi)",
    "read": "accusé de lecture Messenger",
    "delivery": "accusé de remise Messenger",
    "postback": "clic sur un bouton Messenger (postback) : pas un texte écrit par la personne",
    "message_reaction": "réaction à un message Messenger",
    "messaging_other": "autre événement Messenger (optin, referral, handover, modification…)",
    "standby": "événement Messenger en attente (standby) : une autre application a la main",
}

ATTACHMENT_LABELS = {
    "image": "image",
    "photo": "photo",
    "sticker": "autocollant",
    "animated_image_share": "GIF",
    "video": "vidéo",
    "video_inline": "vidéo",
    "audio": "audio",
    "file": "fichier",
    "reel": "reel",
    "ig_reel": "reel Instagram",
    "fallback": "lien",
    "share": "lien",
    "location": "position",
    "template": "modèle",
}

REMOVAL_VERBS = frozenset({"remove", "delete"})
COMMENT_VERBS = {
    "add": None,
    "edited": None,
    "edit": None,
    "remove": None,
    "delete": None,
    "hide": True,
    "unhide": False,
}


@dataclass(frozen=True)
class Ignored:
    """Something a delivery carried that Vigie deliberately does not keep (key of IGNORED)."""

    key: str


Item = NormalizedMessage | Ignored


def parse(body: str) -> list[NormalizedMessage]:
    return [item for item in read(body) if isinstance(item, NormalizedMessage)]


def explain(body: str) -> list[str]:
    """The IGNORED keys of what `parse` skipped in this body, in order."""
    return [item.key for item in read(body) if isinstance(item, Ignored)]


def read(body: str) -> list[Item]:
    data = _load(body)
    if "vigie_poll" in data:
        reader = POLL_READERS.get(data["vigie_poll"])
        if reader is None:
            raise ParseError(f"page de collecte inconnue : {data['vigie_poll']!r}")
        return list(reader(data))
    if data.get("object") != "page":
        raise ParseError(f"objet de webhook non pris en charge : {data.get('object')!r} (attendu « page »)")
    return [item for entry in _list(data, "entry") for item in _entry(entry)]


# --- webhook deliveries ----------------------------------------------------------------------------


def _entry(entry) -> Iterator[Item]:
    if not isinstance(entry, dict):
        raise ParseError("chaque « entry » doit être un objet")
    page_id = _required_id(entry, "id")
    sent_at = moment(entry.get("time"))
    for change in _list(entry, "changes", required=False):
        yield _change(change, page_id, sent_at)
    for event in _list(entry, "messaging", required=False):
        yield _messaging(event, page_id, sent_at)
    for _event in _list(entry, "standby", required=False):
        yield Ignored("standby")


def _change(change, page_id: str, sent_at: datetime | None) -> Item:
    if not isinstance(change, dict):
        raise ParseError("chaque élément de « changes » doit être un objet")
    if change.get("field") != "feed":
        return Ignored("field")
    value = change.get("value")
    if not isinstance(value, dict):
        raise ParseError("changement « feed » sans « value »")
    item = value.get("item")
    if item != "comment":
        return Ignored(item if item in ("reaction", "like") else "feed_item")
    verb = value.get("verb")
    if verb not in COMMENT_VERBS:
        return Ignored("comment_verb")
    author_id, author_name = _author(value)
    if author_id == page_id and verb not in REMOVAL_VERBS:
        return Ignored("own_comment")
    return _webhook_comment(value, page_id, sent_at, verb, author_id, author_name)


def _webhook_comment(value: dict, page_id: str, sent_at, verb: str, author_id: str, author_name: str):
    post_id = _required_id(value, "post_id")
    parent_id = _id(value.get("parent_id"))
    media = [url for url in (value.get("photo"), value.get("video")) if isinstance(url, str) and url]
    kinds = [kind for kind in ("photo", "video") if value.get(kind)]
    post = value.get("post") if isinstance(value.get("post"), dict) else {}
    return NormalizedMessage(
        platform=PLATFORM,
        channel_external_id=page_id,
        kind="comment",
        external_id=_required_id(value, "comment_id"),
        thread_external_id=thread_of_post(post_id),
        author_external_id=author_id,
        author_name=author_name,
        text=_text_or_placeholder(value.get("message"), kinds),
        created_at=moment(value.get("created_time")) or sent_at or _now(),
        parent_external_id=parent_id if parent_id and parent_id != post_id else None,
        post=NormalizedPost(external_id=post_id, permalink=_str(post.get("permalink_url"))),
        removed=verb in REMOVAL_VERBS,
        attachments=tuple(media),
        hidden=COMMENT_VERBS[verb],
    )


def _messaging(event, page_id: str, sent_at) -> Item:
    if not isinstance(event, dict):
        raise ParseError("chaque élément de « messaging » doit être un objet")
    if "message" in event:
        return _private_message(event, page_id, sent_at)
    for key, reason in (("read", "read"), ("delivery", "delivery"), ("postback", "postback")):
        if key in event:
            return Ignored(reason)
    return Ignored("message_reaction" if "reaction" in event else "messaging_other")


def _private_message(event: dict, page_id: str, sent_at) -> Item:
    message = event["message"]
    if not isinstance(message, dict):
        raise ParseError("« message » Messenger doit être un objet")
    sender = _id((event.get("sender") or {}).get("id"))
    if message.get("is_echo") or sender == page_id:
        return _echo(event, message, page_id, sent_at)
    if not sender:
        raise ParseError("message Messenger sans expéditeur (sender.id)")
    attachments = [a for a in (message.get("attachments") or []) if isinstance(a, dict)]
    reply_to = message.get("reply_to") if isinstance(message.get("reply_to"), dict) else {}
    return NormalizedMessage(
        platform=PLATFORM,
        channel_external_id=_id((event.get("recipient") or {}).get("id")) or page_id,
        kind="private_message",
        external_id=_required_id(message, "mid"),
        thread_external_id=thread_of_psid(sender),
        author_external_id=sender,
        author_name="",
        text=_text_or_placeholder(message.get("text"), [_str(a.get("type")) for a in attachments]),
        created_at=moment(event.get("timestamp")) or sent_at or _now(),
        parent_external_id=_id(reply_to.get("mid")) or None,
        attachments=tuple(url for a in attachments if (url := _str((a.get("payload") or {}).get("url")))),
    )


def _echo(event: dict, message: dict, page_id: str, sent_at) -> Item:
    """The Page's own message. Sent by Vigie (our app id), the outbox has recorded it already; sent
    from another tool (the Page's inbox, Meta Business Suite…), it is a reply from the Page, which
    answers the person (their deadline is met). Without our app id configured we cannot tell: ignored."""
    ours = settings.FACEBOOK_APP_ID
    if not ours or _id(message.get("app_id")) == ours:
        return Ignored("echo")
    ends = (_id((event.get(side) or {}).get("id")) for side in ("recipient", "sender"))
    person = next((end for end in ends if end and end != page_id), "")
    if not person:
        raise ParseError("écho Messenger sans destinataire (recipient.id)")
    attachments = [a for a in (message.get("attachments") or []) if isinstance(a, dict)]
    return NormalizedMessage(
        platform=PLATFORM,
        channel_external_id=page_id,
        kind="reply",
        external_id=_required_id(message, "mid"),
        thread_external_id=thread_of_psid(person),
        author_external_id=page_id,
        author_name="",
        text=_text_or_placeholder(message.get("text"), [_str(a.get("type")) for a in attachments]),
        created_at=moment(event.get("timestamp")) or sent_at or _now(),
    )


# --- poll pages (connector.poll) -------------------------------------------------------------------


def _poll_comments(data: dict) -> Iterator[Item]:
    page_id = _required_id(data, "page_id")
    node = data.get("post")
    if not isinstance(node, dict):
        raise ParseError("page de collecte sans « post »")
    post_id = _required_id(node, "id")
    post = NormalizedPost(
        external_id=post_id,
        text=_str(node.get("message")),
        permalink=_str(node.get("permalink_url")),
        published_at=moment(node.get("created_time")),
    )
    for comment in _list(data, "data"):
        yield _comment_node(comment, page_id, post)


def _comment_node(node, page_id: str, post: NormalizedPost) -> Item:
    if not isinstance(node, dict):
        raise ParseError("commentaire Graph illisible")
    author_id, author_name = _author(node)
    if author_id == page_id:
        return Ignored("own_comment")
    parent = node.get("parent") if isinstance(node.get("parent"), dict) else {}
    attachment = node.get("attachment") if isinstance(node.get("attachment"), dict) else {}
    url = _str(((attachment.get("media") or {}).get("image") or {}).get("src")) or _str(attachment.get("url"))
    return NormalizedMessage(
        platform=PLATFORM,
        channel_external_id=page_id,
        kind="comment",
        external_id=_required_id(node, "id"),
        thread_external_id=thread_of_post(post.external_id),
        author_external_id=author_id,
        author_name=author_name,
        text=_text_or_placeholder(node.get("message"), [_str(attachment.get("type"))] if attachment else []),
        created_at=_required_moment(node, "created_time"),
        parent_external_id=_id(parent.get("id")) or None,
        post=post,
        permalink=_str(node.get("permalink_url")),
        attachments=(url,) if url else (),
        hidden=node["is_hidden"] if isinstance(node.get("is_hidden"), bool) else None,
    )


def _poll_conversations(data: dict) -> Iterator[Item]:
    page_id = _required_id(data, "page_id")
    for conversation in _list(data, "data"):
        if not isinstance(conversation, dict):
            raise ParseError("conversation Graph illisible")
        messages = conversation.get("messages") if isinstance(conversation.get("messages"), dict) else {}
        for node in _list(messages, "data", required=False):
            yield _conversation_message(node, page_id, _participant(conversation, page_id))


def _participant(conversation: dict, page_id: str) -> str:
    """The person's PSID: the participant who is not the Page."""
    participants = conversation.get("participants") if isinstance(conversation.get("participants"), dict) else {}
    for person in _list(participants, "data", required=False):
        person_id = _id(person.get("id")) if isinstance(person, dict) else ""
        if person_id and person_id != page_id:
            return person_id
    return ""


def _conversation_message(node, page_id: str, psid: str) -> Item:
    if not isinstance(node, dict):
        raise ParseError("message Graph illisible")
    author_id, author_name = _author(node)
    if author_id == page_id:
        return Ignored("own_message")
    psid = psid or author_id
    if psid == UNKNOWN_AUTHOR:
        raise ParseError(f"message {node.get('id')!r} sans expéditeur ni participant")
    files = _list(node.get("attachments") or {}, "data", required=False)
    files = [f for f in files if isinstance(f, dict)]
    return NormalizedMessage(
        platform=PLATFORM,
        channel_external_id=page_id,
        kind="private_message",
        external_id=_required_id(node, "id"),
        thread_external_id=thread_of_psid(psid),
        author_external_id=psid if author_id == UNKNOWN_AUTHOR else author_id,
        author_name=author_name,
        text=_text_or_placeholder(node.get("message"), [_mime_kind(f) for f in files]),
        created_at=_required_moment(node, "created_time"),
        attachments=tuple(url for f in files if (url := _file_url(f))),
    )


POLL_READERS = {"comments": _poll_comments, "conversations": _poll_conversations}


# --- small readers -----------------------------------------------------------------------------------


def thread_of_post(post_id: str) -> str:
    """`<page-id>_<post-object-id>` → the post object id (the message contract's thread_id)."""
    return post_id.split("_", 1)[1] if "_" in post_id else post_id


def thread_of_psid(psid: str) -> str:
    return f"psid:{psid}"


def _author(node: dict) -> tuple[str, str]:
    who = node.get("from")
    if isinstance(who, dict):
        author_id = _id(who.get("id"))
        return (author_id, _str(who.get("name"))) if author_id else (UNKNOWN_AUTHOR, "")
    if node.get("sender_id") is not None:  # Graph v2.5 shape
        return _id(node["sender_id"]) or UNKNOWN_AUTHOR, _str(node.get("sender_name"))
    return UNKNOWN_AUTHOR, ""


def _text_or_placeholder(text, kinds: list[str]) -> str:
    if isinstance(text, str) and text:
        return text
    return " ".join(f"[pièce jointe : {ATTACHMENT_LABELS.get(kind, kind or 'fichier')}]" for kind in kinds)


def _mime_kind(file: dict) -> str:
    mime = _str(file.get("mime_type"))
    kind = mime.split("/", 1)[0]
    return kind if kind in ("image", "video", "audio") else "file"


def _file_url(file: dict) -> str:
    for key in ("image_data", "video_data"):
        if isinstance(file.get(key), dict) and file[key].get("url"):
            return _str(file[key]["url"])
    return _str(file.get("file_url"))


def _load(body: str) -> dict:
    data = load_json(body)
    if not isinstance(data, dict):
        raise ParseError("la livraison Facebook doit être un objet JSON")
    return data


def _list(container: dict, key: str, *, required: bool = True) -> list:
    value = container.get(key) if isinstance(container, dict) else None
    if value is None and not required:
        return []
    if not isinstance(value, list):
        raise ParseError(f"« {key} » doit être une liste")
    return value


def _id(value) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value.strip() if isinstance(value, str) else ""


def _required_id(container: dict, key: str) -> str:
    value = _id(container.get(key))
    if not value:
        raise ParseError(f"« {key} » manquant")
    return value


def _str(value) -> str:
    return value if isinstance(value, str) else ""


def moment(value) -> datetime | None:
    """UNIX seconds or milliseconds (feed vs Messenger), or Graph's ISO time "2015-12-03T22:05:34+0000"."""
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return from_timestamp(value / 1000 if value > 10**11 else value)
    if isinstance(value, str) and value:
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError as exc:
            raise ParseError(f"date illisible : {value!r}") from exc
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    return None


def _required_moment(container: dict, key: str) -> datetime:
    found = moment(container.get(key))
    if found is None:
        raise ParseError(f"« {key} » manquant")
    return found


def _now() -> datetime:
    return datetime.now(UTC)
