import pytest

from vigie.connectors.fake.monday import FakeMonday
from vigie.connectors.tests.support import fresh, session_server
from vigie.planning import client
from vigie.planning.models import Board

MAPPING = {
    "publish_at": "date4",
    "platforms": "dropdown_mkplat",
    "status": "status",
    "subject": "text_mksujet",
    "prepared_messages": "long_text_mkmsg",
    "link": "link_mklien",
    "owner": "person",
}


monday_server = session_server(FakeMonday)


@pytest.fixture
def fake_monday(monday_server, settings, monkeypatch):
    return fresh(monday_server, monkeypatch, client, settings, MONDAY_API_URL=monday_server.api_url)


@pytest.fixture
def monday_board(fake_monday):
    """The board « Planning | Réseaux sociaux » on the local monday, with no items yet."""
    return fake_monday.add_board()


@pytest.fixture
def board(db, fake_monday, monday_board):
    """The board connected in Vigie (not read yet)."""
    return Board.objects.create(board_id=monday_board, name="Planning | Réseaux sociaux", token=fake_monday.token,
                                mapping=dict(MAPPING))  # fmt: skip


def values(
    day="2026-12-03",
    time="08:30:00",
    platforms=(1,),
    status=2,
    subject="Journée portes ouvertes",
    messages="Bonjour {prenom}, merci !\n\nÀ bientôt {prenom}.",
    link=None,
    people=(42835270,),
) -> dict:
    """An item's values as monday stores them (the JSON of each column)."""
    found = {
        "date4": {"date": day, "time": time} if time else {"date": day},
        "dropdown_mkplat": {"ids": list(platforms)},
        "status": {"index": status, "post_id": None},
        "text_mksujet": subject,
        "long_text_mkmsg": {"text": messages},
        "person": {"personsAndTeams": [{"id": p, "kind": "person"} for p in people]},
    }
    if link:
        found["link_mklien"] = {"url": link, "text": "Publication"}
    return found


# the browser tests' fixtures (Debian's Chromium, live server, role groups), shared with the inbox's
from vigie.inbox.tests.conftest import chromium, desk_users, open_page, role_groups  # noqa: E402, F401
