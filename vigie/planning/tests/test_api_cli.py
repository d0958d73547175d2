"""GET /api/v1/planning, and `vigie planning connect | sync`."""

import pytest
from django.core.management import CommandError, call_command

from vigie.accounts.roles import ROLES
from vigie.api import tokens
from vigie.audit.models import AuditEvent
from vigie.planning import sync
from vigie.planning.models import Board, PlannedPost
from vigie.planning.tests.conftest import MAPPING, values

pytestmark = pytest.mark.django_db


def get(client, token=None, **params):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return client.get("/api/v1/planning", params, **headers)


@pytest.fixture
def five(board, fake_monday, monday_board):
    for day in range(1, 5):
        fake_monday.add_item(monday_board, f"Publication du {day}", values(day=f"2026-12-0{day}"))
    fake_monday.add_item(monday_board, "Sans date", {"text_mksujet": "À caler"})
    sync.sync(board)


def test_planned_posts_come_in_pages_with_next(client, cm, five):
    token = tokens.issue(cm)[1]
    first = get(client, token, limit=3).json()
    assert [p["name"] for p in first["results"]] == ["Publication du 4", "Publication du 3", "Publication du 2"]
    second = client.get(first["next"], HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert [p["name"] for p in second["results"]] == ["Publication du 1", "Sans date"] and second["next"] is None
    shown = first["results"][0]
    assert set(shown) >= {"id", "monday_item_id", "name", "publish_at", "platforms", "status", "subject",
                          "prepared_messages", "post_id"}  # fmt: skip
    assert shown["publish_at"] == "2026-12-04T09:30:00+01:00" and shown["platforms"] == ["facebook"]
    assert shown["status"] == "À paraître" and shown["prepared_messages"][0] == "Bonjour {prenom}, merci !"
    assert shown["post_id"] is None and second["results"][1]["publish_at"] is None


def test_removed_items_are_not_listed(client, cm, five, fake_monday, board):
    PlannedPost.objects.filter(name="Sans date").update(removed_at="2026-11-30T10:00:00Z")
    results = get(client, tokens.issue(cm)[1], limit=10).json()["results"]
    assert "Sans date" not in [p["name"] for p in results] and len(results) == 4


@pytest.mark.parametrize("role", ROLES)
def test_every_role_reads_the_planning_and_nobody_without_a_token(client, personas, five, role):
    assert get(client, tokens.issue(personas[role])[1]).status_code == 200
    assert get(client).status_code == 401


def test_an_outsider_token_is_refused(client, personas, five):
    assert get(client, tokens.issue(personas["outsider"])[1]).status_code == 403


def test_a_bad_cursor_or_limit_is_a_400(client, cm, five):
    token = tokens.issue(cm)[1]
    assert get(client, token, cursor="@@@").status_code == 400
    assert get(client, token, limit="0").status_code == 400


def test_the_command_line_connects_with_the_proposed_mapping_and_reads(tmp_path, fake_monday, monday_board, capsys):
    fake_monday.add_item(monday_board, "Publication", values())
    token_file = tmp_path / "jeton"
    token_file.write_text(fake_monday.token + "\n")
    call_command("planning", "connect", "--token-file", str(token_file), "--board", monday_board)
    board = Board.objects.get()
    out = capsys.readouterr().out
    assert board.mapping == MAPPING and board.token == fake_monday.token and fake_monday.token not in out
    assert "1 élément lu, 1 nouveau," in out and PlannedPost.objects.count() == 1
    assert AuditEvent.objects.get(verb="planning.board_connected").actor_label == "commande vigie planning"


def test_the_command_line_takes_a_mapping(tmp_path, fake_monday, monday_board):
    token_file = tmp_path / "jeton"
    token_file.write_text(fake_monday.token)
    call_command("planning", "connect", "--token-file", str(token_file), "--board", monday_board,
                 "--map", "date4=publish_at", "text_mksujet=subject")  # fmt: skip
    assert Board.objects.get().mapping == {"publish_at": "date4", "subject": "text_mksujet"}
    with pytest.raises(CommandError, match="type status"):
        call_command("planning", "connect", "--token-file", str(token_file), "--board", monday_board,
                     "--map", "status=publish_at")  # fmt: skip
    with pytest.raises(CommandError, match="colonne=champ"):
        call_command("planning", "connect", "--token-file", str(token_file), "--board", monday_board, "--map", "x")


def test_the_command_line_says_why_it_cannot_connect(tmp_path, fake_monday, monday_board):
    token_file = tmp_path / "jeton"
    token_file.write_text("faux")
    with pytest.raises(CommandError, match="refuse le jeton"):
        call_command("planning", "connect", "--token-file", str(token_file), "--board", monday_board)
    with pytest.raises(CommandError, match="illisible"):
        call_command("planning", "connect", "--token-file", str(tmp_path / "absent"), "--board", monday_board)


def test_sync_reads_every_connected_board_and_reports_errors(board, fake_monday, monday_board, capsys):
    fake_monday.add_item(monday_board, "Publication", values())
    call_command("planning", "sync")
    assert "1 élément lu" in capsys.readouterr().out
    fake_monday.daily_calls = 0
    with pytest.raises(CommandError, match="Limite quotidienne"):
        call_command("planning", "sync", "--full")
