"""What every connector hands the rest of Vigie: platform-neutral messages."""

from dataclasses import dataclass, field
from datetime import datetime


class ParseError(ValueError):
    """A payload Vigie cannot read: the raw event is marked failed with this message."""


class ConnectorError(Exception):
    """A platform call that failed. Permanent errors (expired token…) are not retried."""

    def __init__(self, message: str, *, permanent: bool = False):
        super().__init__(message)
        self.permanent = permanent


KINDS = ("comment", "private_message")
PLATFORMS = ("facebook", "linkedin", "youtube")


@dataclass(frozen=True)
class NormalizedPost:
    external_id: str
    text: str = ""
    permalink: str = ""
    published_at: datetime | None = None


@dataclass(frozen=True)
class NormalizedMessage:
    """One incoming comment or private message, or the news that one was edited or removed."""

    platform: str
    channel_external_id: str
    kind: str
    external_id: str
    thread_external_id: str
    author_external_id: str
    author_name: str
    text: str
    created_at: datetime
    parent_external_id: str | None = None
    post: NormalizedPost | None = None
    removed: bool = False
    permalink: str = ""
    attachments: tuple[str, ...] = field(default_factory=tuple)
