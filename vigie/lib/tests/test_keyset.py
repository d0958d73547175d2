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


def test_a_cursor_is_the_key_in_plain_integers():
    from datetime import UTC, datetime

    row = Row(priority=2, last_message_at=datetime(1970, 1, 1, 0, 0, 1, tzinfo=UTC), id=7)
    assert keyset.encode_cursor(row, ("priority", "last_message_at", "id")) == "2.1000000.7"


def test_the_extreme_dates_and_ids_round_trip():
    from datetime import UTC, datetime

    for moment in (datetime(1653, 2, 11, tzinfo=UTC), datetime(5138, 1, 1, tzinfo=UTC)):
        cursor = keyset.encode_cursor(Row(at=moment, id=10**17 - 1), ("at", "id"))
        assert keyset.decode_cursor(cursor, ("at", "id"), frozenset({"at"})) == [moment, 10**17 - 1]


@pytest.mark.parametrize(
    "cursor",
    ["%%%", "WzFd", "", "1", "1.2.3", "1.", ".1", "1.2\n", " 1.2", "1.2 ", "NaN.1", "1e3.1", "1.0x10", "².1",
     "1" * 18 + ".1", "-" + "9" * 17 + ".1", "1_0.1", "+1.1"],
)  # fmt: skip
def test_it_rejects_a_tampered_cursor(cursor):
    with pytest.raises(keyset.BadCursor):
        keyset.decode_cursor(cursor, ("a", "id"), frozenset({"a"}))


def test_what_matches_the_shape_always_decodes():
    import re

    from hypothesis import given, settings
    from hypothesis import strategies as st

    @settings(max_examples=300, derandomize=True)
    @given(st.from_regex(keyset.cursor_regex(3)))
    def decodes(cursor):
        keyset.decode_cursor(cursor, ("priority", "at", "id"), frozenset({"at"}))

    decodes()
    assert re.fullmatch(keyset.cursor_regex(2), "-5.12")


def test_after_is_the_descending_lexicographic_successor():
    condition = keyset.after(("a", "id"), [5, 10])
    assert str(condition) == "(OR: ('a__lt', 5), (AND: ('id__lt', 10), ('a', 5)))"


def test_an_ascending_field_takes_the_next_greater_value():
    condition = keyset.after(("due", "id"), [5, 10], ascending=frozenset({"due", "id"}))
    assert str(condition) == "(OR: ('due__gt', 5), (AND: ('id__gt', 10), ('due', 5)))"
