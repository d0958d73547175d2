"""The planning page, the board's connection from « Canaux », for every role."""

import pytest
from django.urls import reverse

from vigie.accounts.roles import ROLES
from vigie.audit.models import AuditEvent
from vigie.planning import sync
from vigie.planning.models import Board, PlannedPost
from vigie.planning.tests.conftest import MAPPING, values

pytestmark = pytest.mark.django_db

ALL, DESK, ADMIN = set(ROLES), {"community_manager", "communication", "admin"}, {"admin"}


@pytest.fixture
def read_board(board, fake_monday, monday_board, ingest):
    fake_monday.add_item(monday_board, "Portes ouvertes", values(day="2026-12-03"))
    sync.sync(board)
    planned = PlannedPost.objects.get()
    planned.suggested_post, planned.match = ingest(1).thread.post, PlannedPost.Match.SUGGESTED
    planned.save()
    return board


# (name, method, url, allowed roles, success status, data)
VIEWS = [
    ("planning", "get", lambda b, p: reverse("planning:list"), ALL, 200, {}),
    ("planning-list", "get", lambda b, p: reverse("planning:list") + "?vue=liste", ALL, 200, {}),
    ("confirm", "post", lambda b, p: reverse("planning:confirm-match", args=[p.pk]), DESK, 302, {}),
    ("reject", "post", lambda b, p: reverse("planning:reject-match", args=[p.pk]), DESK, 302, {}),
    ("token", "post", lambda b, p: reverse("planning:connect-token"), ADMIN, 200, {"token": "__token__"}),
    ("choose", "post", lambda b, p: reverse("planning:connect-board"), ADMIN, 302, {"board_id": "1"}),
    ("mapping", "post", lambda b, p: reverse("planning:confirm-mapping"), ADMIN, 302, {}),
    ("remap", "get", lambda b, p: reverse("planning:remap", args=[b.pk]), ADMIN, 200, {}),
    ("sync", "post", lambda b, p: reverse("planning:sync", args=[b.pk]), ADMIN, 302, {}),
    ("disconnect", "post", lambda b, p: reverse("planning:disconnect", args=[b.pk]), ADMIN, 302, {}),
]


@pytest.mark.parametrize(("name", "method", "url", "allowed", "ok", "data"), VIEWS, ids=[v[0] for v in VIEWS])
@pytest.mark.parametrize("role", [*ROLES, "outsider"])
def test_each_view_answers_each_role(client, personas, read_board, fake_monday, role, name, method, url, allowed, ok,
                                     data):  # fmt: skip
    client.force_login(personas[role])
    data = {k: fake_monday.token if v == "__token__" else v for k, v in data.items()}
    response = getattr(client, method)(url(read_board, PlannedPost.objects.get()), data)
    assert response.status_code == (ok if role in allowed else 403)


@pytest.mark.parametrize(("name", "method", "url", "allowed", "ok", "data"), VIEWS, ids=[v[0] for v in VIEWS])
def test_anonymous_visitors_are_sent_to_the_login_page(client, read_board, name, method, url, allowed, ok, data):
    response = getattr(client, method)(url(read_board, PlannedPost.objects.get()), data)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_an_admin_connects_the_board_in_three_steps(client, personas, fake_monday, monday_board):
    fake_monday.add_board("Autre tableau")
    client.force_login(personas["admin"])
    page = client.post(reverse("planning:connect-token"), {"token": fake_monday.token}).content.decode()
    assert "Planning | Réseaux sociaux" in page and "Autre tableau" in page and fake_monday.token not in page
    assert f'value="{monday_board}" id="id_board_id_0" required checked' in page  # the planning board, by default
    page = client.post(reverse("planning:connect-board"), {"board_id": monday_board}).content.decode()
    for column_id in MAPPING.values():  # the proposed mapping: every column recognised
        assert f'value="{column_id}" selected' in page
    response = client.post(reverse("planning:confirm-mapping"), {"board_id": monday_board, **MAPPING})
    assert response.status_code == 302
    board = Board.objects.get(board_id=monday_board)
    assert board.token == fake_monday.token and board.mapping == MAPPING
    event = AuditEvent.objects.get(verb="planning.board_connected")
    assert fake_monday.token not in str(event.before) + str(event.after) + event.summary
    channels = client.get(reverse("ingestion:channels")).content.decode()
    assert "Planning | Réseaux sociaux" in channels and "Connecté" in channels and fake_monday.token not in channels
    folded = channels.index('<details class="reconnect"><summary>Connecter un autre tableau')
    assert folded < channels.index('id="monday-form"')  # read well: the token form waits folded away


def test_a_refused_token_says_so_in_french(client, personas, fake_monday):
    client.force_login(personas["admin"])
    response = client.post(reverse("planning:connect-token"), {"token": "faux"}, follow=True)
    assert "refuse le jeton" in response.content.decode()


def test_a_mapping_without_a_date_is_refused(client, personas, fake_monday, monday_board):
    client.force_login(personas["admin"])
    client.post(reverse("planning:connect-token"), {"token": fake_monday.token})
    page = client.post(reverse("planning:confirm-mapping"), {"board_id": monday_board, "status": "status"})
    assert "date de publication" in page.content.decode() and not Board.objects.exists()


def test_a_column_of_the_wrong_type_is_refused(client, personas, fake_monday, monday_board):
    client.force_login(personas["admin"])
    client.post(reverse("planning:connect-token"), {"token": fake_monday.token})
    page = client.post(reverse("planning:confirm-mapping"), {"board_id": monday_board, "publish_at": "status"})
    assert "Sélectionnez un choix valide" in page.content.decode() and not Board.objects.exists()


def test_the_channels_page_says_what_no_longer_maps_and_why_the_board_waits(client, personas, read_board,
                                                                              fake_monday, monday_board):  # fmt: skip
    fake_monday.remove_column(monday_board, "long_text_mkmsg")
    sync.sync(read_board, full=True)
    fake_monday.minute_budget = 1
    sync.run(read_board.pk)
    client.force_login(personas["admin"])
    page = client.get(reverse("ingestion:channels")).content.decode()
    assert "La colonne « Messages préparés » (long_text_mkmsg) n'existe plus sur le tableau" in page
    assert "Budget de complexité monday.com épuisé" in page and "En pause" in page
    assert 'id="monday-form"' in page and "Connecter un autre tableau" not in page  # the form in sight


def test_the_week_and_the_list_show_the_planned_posts(client, personas, read_board):
    client.force_login(personas["community_manager"])
    page = client.get(reverse("planning:list") + "?semaine=2026-12-01").content.decode()
    assert "Portes ouvertes" in page and "Journée portes ouvertes" in page and "Messages préparés (2)" in page
    assert "Semaine du 30 novembre au 6 décembre 2026" in page
    listing = client.get(reverse("planning:list") + "?vue=liste").content.decode()
    assert "Portes ouvertes" in listing and "Facebook" in listing


def test_a_person_confirms_the_suggested_post(client, personas, read_board):
    planned = PlannedPost.objects.get()
    client.force_login(personas["community_manager"])
    client.post(reverse("planning:confirm-match", args=[planned.pk]), {"vue": "liste"})
    planned.refresh_from_db()
    assert planned.match == "confirmed" and planned.post is not None and planned.suggested_post is None
    event = AuditEvent.objects.get(verb="planned_post.match_confirmed")
    assert event.actor == personas["community_manager"] and event.after["post_id"] == planned.post_id


def test_a_rejected_suggestion_is_not_offered_again(client, personas, read_board):
    planned = PlannedPost.objects.get()
    rejected = planned.suggested_post_id
    client.force_login(personas["communication"])
    client.post(reverse("planning:reject-match", args=[planned.pk]))
    planned.refresh_from_db()
    assert planned.suggested_post is None and planned.rejected_posts == [rejected]
    assert AuditEvent.objects.filter(verb="planned_post.match_rejected", actor=personas["communication"]).exists()
