"""Keyset pagination: the page after a cursor, in a fixed order, without OFFSET.

A cursor is the sort key of the last row shown, encoded as URL-safe base64 JSON. Each order field
is descending (newest, most urgent first) unless named in `ascending` (the nearest deadline first);
`id` always comes last so that the order is total.
"""

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, QuerySet


class BadCursor(ValueError):
    pass


@dataclass
class Page:
    items: list
    next_cursor: str | None


def _encode_value(value):
    return value.isoformat() if isinstance(value, datetime) else value


def encode_cursor(row, fields: tuple[str, ...]) -> str:
    key = [_encode_value(getattr(row, field)) for field in fields]
    return base64.urlsafe_b64encode(json.dumps(key).encode()).decode().rstrip("=")


def decode_cursor(cursor: str, fields: tuple[str, ...], datetime_fields: frozenset[str]) -> list:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        key = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if not isinstance(key, list) or len(key) != len(fields):
            raise BadCursor("curseur de pagination invalide")
        return [
            datetime.fromisoformat(value) if field in datetime_fields else value
            for field, value in zip(fields, key, strict=True)
        ]
    except (binascii.Error, ValueError, TypeError) as exc:
        raise BadCursor("curseur de pagination invalide") from exc


def after(fields: tuple[str, ...], key: list, ascending: frozenset[str] = frozenset()) -> Q:
    """Rows strictly after `key` in the lexicographic order of `fields` (descending unless ascending)."""
    condition = Q()
    for i, field in enumerate(fields):
        step = Q(**{f"{field}__{'gt' if field in ascending else 'lt'}": key[i]})
        for previous, value in zip(fields[:i], key[:i], strict=True):
            step &= Q(**{previous: value})
        condition |= step
    return condition


def paginate(
    queryset: QuerySet,
    fields: tuple[str, ...],
    cursor: str | None,
    size: int,
    datetime_fields: frozenset[str] = frozenset(),
    ascending: frozenset[str] = frozenset(),
) -> Page:
    queryset = queryset.order_by(*[field if field in ascending else f"-{field}" for field in fields])
    if cursor:
        queryset = queryset.filter(after(fields, decode_cursor(cursor, fields, datetime_fields), ascending))
    rows = list(queryset[: size + 1])
    items = rows[:size]
    next_cursor = encode_cursor(items[-1], fields) if len(rows) > size else None
    return Page(items=items, next_cursor=next_cursor)
