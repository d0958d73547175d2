"""Which code reads a raw event and acts on a platform. Platform connectors register here."""

from collections.abc import Callable

from vigie.connectors import contract
from vigie.connectors.base import Capability, Connector, NormalizedMessage, ParseError

Parser = Callable[[str], list[NormalizedMessage]]


# Imports and the demo use the message JSONL contract whatever the platform.
PARSERS_BY_SOURCE: dict[str, Parser] = {"import": contract.parse_body, "demo": contract.parse_body}
CONNECTORS: dict[str, Connector] = {}
Poller = Callable[[int], object]  # poll one channel by its id (the per-minute job)
POLLERS: dict[str, Poller] = {}


def register(connector: Connector) -> Connector:
    CONNECTORS[connector.platform] = connector
    return connector


def poller(platform: str):
    """Decorator: the function that polls a channel of `platform` (called by connectors/tasks.py)."""

    def register_poller(function: Poller) -> Poller:
        POLLERS[platform] = function
        return function

    return register_poller


def poller_for(platform: str) -> Poller | None:
    return POLLERS.get(platform)


def connector_for(platform: str) -> Connector:
    try:
        return CONNECTORS[platform]
    except KeyError:
        raise ParseError(f"aucun connecteur pour la plateforme « {platform or '?'} »") from None


def capabilities(platform: str) -> dict[str, Capability]:
    """What the platform allows; empty (nothing known to be refused) before its connector exists."""
    connector = CONNECTORS.get(platform)
    return connector.capabilities if connector is not None else {}


def parser_for(source: str, platform: str) -> Parser:
    parser = PARSERS_BY_SOURCE.get(source)
    if parser is not None:
        return parser
    if platform in CONNECTORS:
        return CONNECTORS[platform].parse
    raise ParseError(f"aucun connecteur ne lit les événements {source} de « {platform or '?'} »")
