"""Keyset pagination: the page after a cursor, in a fixed order, without OFFSET.

A cursor is the sort key of the last row shown, its values joined by dots: integers as they are,
date-times as microseconds since 1970-01-01 UTC (`2.1763625600000000.7`). Its shape is a regular
expression (`cursor_regex`), so the API's schema states exactly which cursors it takes. Each order
field is descending (newest, most urgent first) unless named in `ascending` (the nearest deadline
first); `id` always comes last so that the order is total.
"""

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db.models import Q, QuerySet

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# 16 digits either side of 1970 (years 1653 to 2286) or 17 after it (up to 5138): each value decodes
# to a date-time; ids and priorities (counters) stay below 10**17
VALUE = r"(?:-?[0-9]{1,16}|[0-9]{17})"


class BadCursor(ValueError):
    pass


@dataclass
class Page:
    items: list
    next_cursor: str | None


def cursor_regex(size: int) -> str:
    """The shape of a cursor over `size` order fields."""
    return rf"^{VALUE}(?:\.{VALUE}){{{size - 1}}}\Z"


def _encode_value(value) -> str:
    if isinstance(value, datetime):
        return str((value - EPOCH) // timedelta(microseconds=1))
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    raise TypeError(f"a cursor holds integers and date-times, not {value!r}")


def encode_cursor(row, fields: tuple[str, ...]) -> str:
    return ".".join(_encode_value(getattr(row, field)) for field in fields)


def decode_cursor(cursor: str, fields: tuple[str, ...], datetime_fields: frozenset[str]) -> list:
    if not re.fullmatch(cursor_regex(len(fields)), cursor):
        raise BadCursor("curseur de pagination invalide")
    return [
        EPOCH + timedelta(microseconds=int(value)) if field in datetime_fields else int(value)
        for field, value in zip(fields, cursor.split("."), strict=True)
    ]


def after(fields: tuple[str, ...], key: list, ascending: frozenset[str] = frozenset()) -> Q:
    """Rows strictly after `key` in the lexicographic order of `fields` (descending unless ascending)."""
    condition = Q()
    for i, field in enumerate(fields):
        step = Q(**{f"{field}__{'gt' if field in ascending else 'lt'}": key[i]})
        for previous, value in zip(fields[:i], key[:i], strict=True):
            step &= Q(**{previous: value})
        condition |= step
    return condition


def ordering(fields: tuple[str, ...], ascending: frozenset[str] = frozenset()) -> list[str]:
    """`order_by` arguments for `fields` (descending unless ascending)."""
    return [field if field in ascending else f"-{field}" for field in fields]


def paginate(
    queryset: QuerySet,
    fields: tuple[str, ...],
    cursor: str | None,
    size: int,
    datetime_fields: frozenset[str] = frozenset(),
    ascending: frozenset[str] = frozenset(),
) -> Page:
    queryset = queryset.order_by(*ordering(fields, ascending))
    if cursor:
        queryset = queryset.filter(after(fields, decode_cursor(cursor, fields, datetime_fields), ascending))
    rows = list(queryset[: size + 1])
    items = rows[:size]
    next_cursor = encode_cursor(items[-1], fields) if len(rows) > size else None
    return Page(items=items, next_cursor=next_cursor)
