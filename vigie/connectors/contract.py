"""The message JSONL of DESIGN §6 (also CSV with the same columns) read into NormalizedMessages.

Beyond the contract's required keys, a record may carry `channel_id` (page id or organisation URN),
`post` ({id, text, permalink, published_at}), `removed` (true when the message was removed) and
`permalink`. Errors are in French: they are shown to the people importing.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

from vigie.connectors.base import NormalizedMessage, NormalizedPost, ParseError, load_json
from vigie.vocabulary import KINDS, PLATFORMS

PARIS = ZoneInfo("Europe/Paris")
REQUIRED = ("platform", "kind", "id", "thread_id", "author", "text", "created_at")
CSV_COLUMNS = (
    "platform", "kind", "id", "thread_id", "parent_id", "author_id", "author_name", "text", "created_at",
    "channel_id",
)  # fmt: skip


def parse_datetime(value, name: str) -> datetime:
    if not isinstance(value, str) or not value:
        raise ParseError(f"« {name} » doit être une date ISO 8601")
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise ParseError(f"« {name} » n'est pas une date ISO 8601 : {value!r}") from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=PARIS)


def _text(record: dict, key: str, *, required: bool = True) -> str:
    value = record.get(key)
    if value is None and not required:
        return ""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str) or (required and not value.strip()):
        raise ParseError(f"« {key} » doit être un texte non vide")
    return value


def _post(record: dict) -> NormalizedPost | None:
    post = record.get("post")
    if post is None:
        return None
    if not isinstance(post, dict):
        raise ParseError("« post » doit être un objet")
    published = post.get("published_at")
    return NormalizedPost(
        external_id=_text(post, "id"),
        text=_text(post, "text", required=False),
        permalink=_text(post, "permalink", required=False),
        published_at=parse_datetime(published, "post.published_at") if published else None,
    )


def parse_record(record) -> NormalizedMessage:
    if not isinstance(record, dict):
        raise ParseError("la ligne doit être un objet JSON")
    missing = [key for key in REQUIRED if key not in record]
    if missing:
        raise ParseError("champ(s) manquant(s) : " + ", ".join(missing))
    platform, kind = record["platform"], record["kind"]
    if platform not in PLATFORMS:
        raise ParseError(f"« platform » inconnu : {platform!r} (attendu : {', '.join(PLATFORMS)})")
    if kind not in KINDS:
        raise ParseError(f"« kind » inconnu : {kind!r} (attendu : {', '.join(KINDS)})")
    author = record["author"]
    if not isinstance(author, dict):
        raise ParseError("« author » doit être un objet {id, name}")
    text = record["text"]
    if not isinstance(text, str):
        raise ParseError("« text » doit être un texte")
    return NormalizedMessage(
        platform=platform,
        channel_external_id=_text(record, "channel_id", required=False),
        kind=kind,
        external_id=_text(record, "id"),
        thread_external_id=_text(record, "thread_id"),
        parent_external_id=_text(record, "parent_id", required=False) or None,
        author_external_id=_text(author, "id"),
        author_name=_text(author, "name", required=False),
        text=text,
        created_at=parse_datetime(record["created_at"], "created_at"),
        post=_post(record),
        removed=record.get("removed") is True,
        permalink=_text(record, "permalink", required=False),
    )


def parse_body(body: str) -> list[NormalizedMessage]:
    """A raw event of source import/demo holds one contract record."""
    record = load_json(body)
    return [parse_record(record)]


def record_from_csv_row(row: dict) -> dict:
    """A CSV row with the contract's columns (author as author_id / author_name) as a contract record."""
    record = {key: value for key, value in row.items() if key and value not in (None, "")}
    author = {"id": record.pop("author_id", ""), "name": record.pop("author_name", "")}
    if author["id"]:
        record["author"] = author
    record.setdefault("parent_id", None)
    return record
