"""The recorded monday.com bodies (fixtures/SOURCES.md) read by Vigie's pure parts."""

import json
from pathlib import Path

from vigie.planning import columns, sync
from vigie.planning.models import Board

FIXTURES = Path(__file__).parent.parent / "fixtures"


def fixture(name: str) -> dict:
    return json.loads((FIXTURES / f"{name}.json").read_text())


def test_a_dump_without_json_values_gives_no_value_vigie_only_reads_values():
    """The real dump holds only display texts (its query asked no `value`): nothing is guessed from them."""
    item = fixture("items_page__column_values")["data"]["boards"][0]["items_page"]["items"][1]
    board = Board(mapping={"publish_at": "date_mkt3a60q", "status": "status", "owner": "multiple_person_mkr4pbc8"})
    read = sync.values_of(item, board, [])
    assert read["name"] == "Fix sellable generators"
    assert (read["publish_at"], read["status"], read["owner"]) == (None, "", "")


def test_the_recorded_page_has_its_cursor_and_string_ids():
    page = fixture("items_page__cursor")["data"]["boards"][0]["items_page"]
    assert page["cursor"].startswith("MSwx") and all(isinstance(i["id"], str) for i in page["items"])


def test_each_type_reads_its_documented_json_value():
    status = columns.Column("status", "Statut", "status", {"labels": {"1": "Publié"}})
    value = '{"index":1,"post_id":null,"changed_at":"2025-05-24T14:07:26.376Z"}'
    assert columns.read({"type": "status", "value": value, "text": "Done"}, status) == "Publié"
    date = columns.read({"type": "date", "value": '{"date":"2023-06-21","icon":null,"changed_at":"x"}'}, None)
    assert date.at.isoformat() == "2023-06-21T00:00:00+02:00" and not date.has_time
    people = '{"changed_at":"x","personsAndTeams":[{"id":42835270,"kind":"person"},{"id":7,"kind":"team"}]}'
    assert columns.read({"type": "people", "value": people}, None) == [42835270]
    assert columns.read({"type": "text", "value": '"Sujet"'}, None) == "Sujet"
    assert columns.read({"type": "long_text", "value": '{"text":"a\\n\\nb"}'}, None) == "a\n\nb"
    assert columns.read({"type": "link", "value": '{"url":"https://x.example/p","text":"p"}'}, None) == (
        "https://x.example/p"
    )
    assert columns.read({"type": "date", "value": None}, None) is None
    assert columns.read({"type": "status", "value": "not json"}, status) == ""
    assert columns.read({"type": "mirror", "value": None, "text": None}, None) is None


def test_platforms_messages_and_published_are_read_from_the_board_s_words():
    assert columns.platforms_of(["Facebook", "LinkedIn", "Instagram"]) == ["facebook", "linkedin"]
    assert columns.platforms_of("FB / Youtube") == ["facebook", "youtube"]
    assert columns.messages_of("Un\n\nDeux\n---\nTrois\n") == ["Un", "Deux", "Trois"]
    assert columns.is_published("Publiée") and not columns.is_published("À paraître")
