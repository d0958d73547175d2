"""One test per captured payload shape (fixtures/), Zulip-style."""

import json
from datetime import UTC, datetime

import pytest

from vigie.connectors.base import ParseError
from vigie.connectors.facebook import payloads
from vigie.connectors.facebook.tests.conftest import FIXTURES, fixture


def parse(name: str):
    return payloads.parse(fixture(name))


def one(name: str):
    [message] = parse(name)
    return message


def brief(message):
    return (message.kind, message.external_id, message.thread_external_id, message.parent_external_id,
            message.author_external_id, message.author_name, message.text)  # fmt: skip


def at(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


# --- feed: comments ---------------------------------------------------------------------------------


def test_comment_add():
    message = one("feed__comment_add")
    assert brief(message) == ("comment", "712750021053074_1063824911537852", "712750021053074", None,
                              "24266381753005180", "Wong Tsun-Lok Frank", "+1")  # fmt: skip
    assert message.channel_external_id == "206070979425408" and message.created_at == at(1707211876)
    assert message.post.external_id == "206070979425408_712750021053074" and "pfbid02" in message.post.permalink


def test_comment_add_v2_11():
    assert brief(one("feed__comment_add_v2_11")) == ("comment", "901097836652708_903438993085259",
        "901097836652708", None, "10153987654321987", "Tester", "and the next one")  # fmt: skip


def test_comment_edited_in_the_legacy_sender_id_shape():
    message = one("feed__comment_edited")
    assert (message.author_external_id, message.author_name) == ("10153987654321987", "Tester")
    assert message.text == "Let's see the Webhooks in action :D" and not message.removed


def test_comment_remove():
    message = one("feed__comment_remove")
    assert (message.external_id, message.removed, message.text) == ("905578656204626_905579239537901", True, "")
    assert message.created_at == at(1452107182)  # no created_time: the entry's time


def test_comment_hide():
    assert one("feed__comment_hide").hidden is True


def test_comment_unhide():
    assert one("feed__comment_unhide").hidden is False


def test_a_plain_comment_says_nothing_about_hiding():
    assert one("feed__comment_add").hidden is None


def test_reply_to_comment():
    assert one("feed__reply_to_comment").parent_external_id == "712750021053074_6333971384601280"


def test_comment_with_a_photo_and_no_text():
    message = one("feed__comment_photo")
    assert message.text == "[pièce jointe : photo]" and message.attachments[0].endswith("_n.jpg")


def test_from_missing():
    assert (one("feed__from_missing").author_external_id, one("feed__from_missing").author_name) == ("unknown", "")


def test_from_partial():
    assert one("feed__from_partial").author_external_id == "unknown"


def test_batch_many_entries():
    messages = parse("feed__batch_many_entries")
    assert [m.text for m in messages] == ["Les dates de Bordeaux sont-elles fixées ?", "Merci, je m'inscris !",
                                          "Les dates de Bordeaux sont-elles fixées pour 2027 ?"]  # fmt: skip
    assert payloads.explain(fixture("feed__batch_many_entries")) == ["reaction", "own_comment"]


# --- Messenger --------------------------------------------------------------------------------------


def test_messages_text():
    message = one("messages__text")
    assert brief(message) == ("private_message", message.external_id, "psid:3424692677644577", None,
                              "3424692677644577", "", "aa")  # fmt: skip
    assert message.external_id.startswith("m_ABt4") and message.channel_external_id == "103149398319188"
    assert message.created_at == datetime(2021, 1, 3, 6, 41, 58, 99000, UTC)  # milliseconds


def test_messages_attachment_only():
    message = one("messages__attachment_only")
    assert message.text == "[pièce jointe : image]" and message.attachments == (
        "https://scontent.xx.fbcdn.net/v/t1.15752-9/4123_n.jpg",)  # fmt: skip


def test_messages_reply_to():
    assert one("messages__reply_to").parent_external_id.startswith("m_ABt4")


def test_messages_batch():
    assert [m.thread_external_id for m in parse("messages__batch")] == ["psid:3424692677644577",
                                                                        "psid:9987888346225417"]  # fmt: skip


# --- polled Graph pages -------------------------------------------------------------------------------


def test_poll_comments():
    messages = parse("poll__comments")
    assert [(m.author_name, m.hidden, m.parent_external_id) for m in messages] == [
        ("Luc Gérard", True, None),
        ("Amandine Roche", False, "712750021053074_6333971384601280"),
        ("Patou Lefebvre", False, None),
    ]
    assert messages[0].created_at == datetime(2026, 11, 16, 12, 1, 40, tzinfo=UTC)  # ISO "…+0000"
    assert messages[0].post.text.startswith("🌀") and messages[2].text == "[pièce jointe : photo]"
    assert payloads.explain(fixture("poll__comments")) == ["own_comment"]


def test_poll_conversations():
    message = one("poll__conversations")
    assert brief(message)[2:] == ("psid:3424692677644577", None, "3424692677644577", "Audrey Lemaître",
                                  "Bonjour, je souhaite m'inscrire au cycle hypnose de Lyon en janvier.")  # fmt: skip
    assert message.attachments == ("https://cdn.fbsbx.com/v/t59.2708-21/certificat.pdf",)
    assert payloads.explain(fixture("poll__conversations")) == ["own_message"]


# --- what Vigie deliberately does not keep ----------------------------------------------------------

IGNORED_FIXTURES = [
    ("feed__reaction", "reaction"),
    ("feed__like", "like"),
    ("feed__status", "feed_item"),
    ("feed__photo", "feed_item"),
    ("feed__share", "feed_item"),
    ("feed__comment_mute", "comment_verb"),
    ("feed__page_own_comment", "own_comment"),
    ("feed__mention", "field"),
    ("messages__echo", "echo"),
    ("messages__read", "read"),
    ("messages__delivery", "delivery"),
    ("messages__postback", "postback"),
    ("messages__reaction", "message_reaction"),
    ("messages__optin", "messaging_other"),
    ("messages__standby", "standby"),
]


@pytest.mark.parametrize(("name", "reason"), IGNORED_FIXTURES)
def test_it_ignores(name, reason):
    assert parse(name) == [] and payloads.explain(fixture(name)) == [reason]


def test_every_ignored_reason_is_tested():
    tested = {reason for _, reason in IGNORED_FIXTURES} | {"own_message"}  # own_message: poll__conversations
    assert tested == set(payloads.IGNORED)


def test_every_fixture_has_a_test():
    source = "".join(path.read_text() for path in (FIXTURES.parent / "tests").glob("test_*.py"))
    missing = [path.stem for path in FIXTURES.glob("*.json") if f'"{path.stem}"' not in source]
    assert missing == []


# --- what it refuses --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ("{pas du json", "JSON illisible"),
        ("[]", "objet JSON"),
        ('{"object": "instagram", "entry": []}', "non pris en charge"),
        ('{"object": "page"}', "« entry » doit être une liste"),
        ('{"object": "page", "entry": [{"time": 1}]}', "« id » manquant"),
        ('{"vigie_poll": "posts"}', "page de collecte inconnue"),
    ],
)
def test_it_refuses_what_it_cannot_read(body, error):
    with pytest.raises(ParseError, match=error):
        payloads.parse(body)


def test_a_comment_without_its_id_fails_the_delivery_visibly():
    value = {"item": "comment", "verb": "add", "post_id": "1_2", "from": {"id": "9"}, "message": "x"}
    body = {"object": "page", "entry": [{"id": "1", "time": 1, "changes": [{"field": "feed", "value": value}]}]}
    with pytest.raises(ParseError, match="comment_id"):
        payloads.parse(json.dumps(body))
