import pytest

from vigie.lib import keyset


class Row:
    def __init__(self, **values):
        self.__dict__.update(values)


def test_a_cursor_round_trips_through_its_encoding():
    from datetime import datetime

    moment = datetime.fromisoformat("2026-11-20T09:00:00+01:00")
    cursor = keyset.encode_cursor(Row(priority=2, last_message_at=moment, id=7), ("priority", "last_message_at", "id"))
    decoded = keyset.decode_cursor(cursor, ("priority", "last_message_at", "id"), frozenset({"last_message_at"}))
    assert decoded == [2, moment, 7]


@pytest.mark.parametrize("cursor", ["%%%", "bm90IGpzb24", "WzFd", ""])
def test_it_rejects_a_tampered_cursor(cursor):
    with pytest.raises(keyset.BadCursor):
        keyset.decode_cursor(cursor or "e30", ("a", "id"), frozenset())


def test_after_is_the_descending_lexicographic_successor():
    condition = keyset.after(("a", "id"), [5, 10])
    assert str(condition) == "(OR: ('a__lt', 5), (AND: ('id__lt', 10), ('a', 5)))"


def test_an_ascending_field_takes_the_next_greater_value():
    condition = keyset.after(("due", "id"), [5, 10], ascending=frozenset({"due", "id"}))
    assert str(condition) == "(OR: ('due__gt', 5), (AND: ('id__gt', 10), ('due', 5)))"
