import json

import pytest

from vigie.connectors import contract
from vigie.connectors.base import ParseError

GOOD = {
    "platform": "facebook", "kind": "comment", "id": "1234_5678", "thread_id": "1234", "parent_id": None,
    "author": {"id": "987", "name": "Jeanne D."}, "text": "Merci !", "created_at": "2026-03-02T09:15:00+01:00",
}  # fmt: skip


def test_it_reads_the_contract_example():
    message = contract.parse_record(GOOD)
    assert (message.platform, message.kind, message.external_id) == ("facebook", "comment", "1234_5678")
    assert message.thread_external_id == "1234" and message.parent_external_id is None
    assert message.author_external_id == "987" and message.author_name == "Jeanne D."
    assert message.created_at.isoformat() == "2026-03-02T09:15:00+01:00"


def test_a_naive_time_is_taken_as_paris_time():
    message = contract.parse_record(GOOD | {"created_at": "2026-07-01T10:00:00"})
    assert message.created_at.utcoffset().total_seconds() == 7200


def test_it_reads_the_optional_post_and_removal():
    record = GOOD | {"post": {"id": "p1", "text": "Portes ouvertes", "published_at": "2026-03-01T10:00:00Z"},
                     "removed": True}  # fmt: skip
    message = contract.parse_record(record)
    assert message.post.external_id == "p1" and message.removed


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"platform": "tiktok"}, "platform"),
        ({"kind": "story"}, "kind"),
        ({"author": "Jeanne"}, "author"),
        ({"created_at": "hier"}, "created_at"),
        ({"id": ""}, "id"),
        ({"text": None}, "text"),
        ({"post": "p1"}, "post"),
    ],
)
def test_it_explains_what_is_wrong_in_french(change, reason):
    with pytest.raises(ParseError, match=reason):
        contract.parse_record(GOOD | change)


def test_a_missing_key_is_named():
    record = dict(GOOD)
    del record["thread_id"]
    with pytest.raises(ParseError, match="manquant.*thread_id"):
        contract.parse_record(record)


def test_unreadable_json_is_a_parse_error():
    with pytest.raises(ParseError, match="JSON illisible"):
        contract.parse_body("{pas du json")


@pytest.mark.parametrize(
    ("body", "reason"), [("[" * 100_000 + "]" * 100_000, "trop imbriqué"), ('{"id": ' + "9" * 5000 + "}", "trop long")]
)
def test_a_hostile_body_is_a_parse_error_not_a_crash(body, reason):
    with pytest.raises(ParseError, match=reason):
        contract.parse_body(body)


def test_a_body_holds_one_record():
    assert len(contract.parse_body(json.dumps(GOOD))) == 1


def test_a_csv_row_becomes_a_contract_record():
    row = {
        "platform": "linkedin", "kind": "comment", "id": "c1", "thread_id": "urn:li:share:1", "parent_id": "",
        "author_id": "urn:li:person:x", "author_name": "Marc", "text": "Super", "created_at": "2026-03-02T09:15:00Z",
    }  # fmt: skip
    record = contract.record_from_csv_row(row)
    assert record["author"] == {"id": "urn:li:person:x", "name": "Marc"}
    assert record["parent_id"] is None
    assert contract.parse_record(record).platform == "linkedin"
