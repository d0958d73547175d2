"""Which parser reads a raw event. Platform connectors register here as they arrive."""

from collections.abc import Callable

from vigie.connectors import contract
from vigie.connectors.base import NormalizedMessage, ParseError

Parser = Callable[[str], list[NormalizedMessage]]

# Imports and the demo use the message JSONL contract whatever the platform.
PARSERS_BY_SOURCE: dict[str, Parser] = {"import": contract.parse_body, "demo": contract.parse_body}
# Webhook and poll payloads are read by the platform's connector (facebook, linkedin, youtube).
PARSERS_BY_PLATFORM: dict[str, Parser] = {}


def parser_for(source: str, platform: str) -> Parser:
    parser = PARSERS_BY_SOURCE.get(source) or PARSERS_BY_PLATFORM.get(platform)
    if parser is None:
        raise ParseError(f"aucun connecteur ne lit les événements {source} de « {platform or '?'} »")
    return parser
