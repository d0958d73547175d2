"""YouTube JSON → NormalizedMessage. Pure: no HTTP, no database.

The poller stores each API page wrapped by `poll_body` with the channel it was read for:
`commentThreads.list` pages (top-level comments and the replies YouTube inlines) and
`comments.list?parentId=` pages (the other replies of a thread).

Identities: message id = the comment id (a reply's is `<thread id>.<suffix>`); thread = the video
(one inbox thread per video, as one per post on the other platforms); parent = the YouTube thread id,
which is the top-level comment's id; author = the author's channel id.
"""

import json
from datetime import datetime

from vigie.connectors.base import NormalizedMessage, NormalizedPost, ParseError, load_json

PLATFORM = "youtube"
THREADS = "commentThreads"
REPLIES = "comments"


def parse_time(value) -> datetime:
    if not isinstance(value, str) or not value:
        raise ParseError("« publishedAt » manquant dans un commentaire YouTube")
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise ParseError(f"« publishedAt » illisible : {value!r}") from exc


def video_permalink(video_id: str) -> str:
    return f"https://www.youtube.com/watch?v={video_id}"


def comment_permalink(video_id: str, comment_id: str) -> str:
    return f"https://www.youtube.com/watch?v={video_id}&lc={comment_id}"


def thread_of(comment_id: str) -> str:
    """The thread (top-level comment) id of a comment: a reply's id is `<thread>.<suffix>`."""
    return comment_id.split(".", 1)[0]


def poll_body(kind: str, channel_id: str, response: dict, video_id: str = "") -> str:
    body = {"vigie_poll": kind, "channel": channel_id, "response": response}
    if video_id:
        body["video"] = video_id
    return json.dumps(body, sort_keys=True, ensure_ascii=False)


def parse(body: str) -> list[NormalizedMessage]:
    data = load_json(body)
    kind = data.get("vigie_poll") if isinstance(data, dict) else None
    if kind not in (THREADS, REPLIES) or not data.get("channel") or not isinstance(data.get("response"), dict):
        raise ParseError(
            "événement YouTube inconnu : aucun connecteur ne lit ce format (YouTube n'envoie rien pour les "
            "commentaires, Vigie les collecte)"
        )
    items = data["response"].get("items")
    if not isinstance(items, list):
        raise ParseError("réponse YouTube sans « items »")
    if kind == THREADS:
        return [message for item in items for message in _thread(item, data["channel"])]
    return [m for m in (_comment(item, data["channel"], data.get("video", "")) for item in items) if m]


def _thread(item: dict, channel_id: str) -> list[NormalizedMessage]:
    snippet = item.get("snippet") or {}
    top = snippet.get("topLevelComment")
    if not isinstance(top, dict):
        raise ParseError(f"fil YouTube {item.get('id')!r} sans « topLevelComment »")
    video_id = snippet.get("videoId") or (top.get("snippet") or {}).get("videoId", "")
    comments = [top, *(item.get("replies") or {}).get("comments", [])]
    return [m for m in (_comment(c, channel_id, video_id) for c in comments) if m]


def _comment(resource: dict, channel_id: str, video_id: str) -> NormalizedMessage | None:
    """One youtube#comment; None for the channel's own comments (our replies, already in the inbox)."""
    snippet = resource.get("snippet") or {}
    comment_id = resource.get("id")
    if not comment_id:
        raise ParseError("commentaire YouTube sans « id »")
    author = (snippet.get("authorChannelId") or {}).get("value", "")
    if author == channel_id:
        return None
    video_id = snippet.get("videoId") or video_id
    if not video_id:
        raise ParseError(f"commentaire YouTube {comment_id} sans vidéo (« videoId »)")
    parent = snippet.get("parentId") or (thread_of(comment_id) if "." in comment_id else None)
    return NormalizedMessage(
        platform=PLATFORM,
        channel_external_id=channel_id,
        kind="comment",
        external_id=comment_id,
        thread_external_id=video_id,
        author_external_id=author or "youtube:inconnu",
        author_name=snippet.get("authorDisplayName", ""),
        text=snippet.get("textOriginal", snippet.get("textDisplay", "")),
        created_at=parse_time(snippet.get("publishedAt")),
        parent_external_id=parent,
        post=NormalizedPost(external_id=video_id, permalink=video_permalink(video_id)),
        permalink=comment_permalink(video_id, comment_id),
    )
