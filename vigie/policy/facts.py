"""What a rule can look at: the facts of one incoming message, built once, read by conditions."""

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Facts:
    text: str
    platform: str
    kind: str  # comment | private_message
    created_at: datetime
    label: str = ""
    confidence: float = 0.0
    targets_staff: bool = False
    signals: tuple[str, ...] = field(default_factory=tuple)
    has_link: bool = False
    has_phone: bool = False
    has_email: bool = False
    author_offences: int = 0
    post_external_id: str = ""
