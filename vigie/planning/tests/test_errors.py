"""Each way monday.com says no becomes a clear state of the board (shown on the channels page)."""

import json
from pathlib import Path

import pytest
from django.utils import timezone

from vigie.lib.http import ConnectorError, RetryLater
from vigie.planning import client, sync
from vigie.planning.models import Board
from vigie.planning.tests.conftest import values

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent.parent / "fixtures"


def state(board: Board) -> tuple[str, str]:
    board.refresh_from_db()
    return board.status, board.last_error


def test_a_refused_token_asks_to_reconnect(board, fake_monday):
    board.token = "mauvais-jeton"
    board.save()
    sync.run(board.pk)
    status, error = state(board)
    assert status == Board.Status.TO_RECONNECT and "refuse le jeton" in error
    assert sync.run(board.pk) is None and len(fake_monday.queries) == 0  # not retried in a loop


def test_the_token_goes_raw_in_authorization_with_an_api_version(board, fake_monday, monday_board):
    sync.run(board.pk)
    assert state(board)[0] == Board.Status.CONNECTED  # the fake refuses « Bearer … » and a wrong token


def test_a_429_pauses_for_retry_after(board, fake_monday):
    fake_monday.faults.rate_limited = True
    fake_monday.retry_after_seconds = 42
    sync.run(board.pk)
    status, error = state(board)
    assert status == Board.Status.PAUSED and "429" in error and "42 s" in error
    assert 40 <= (board.retry_at - timezone.now()).total_seconds() <= 42


def test_a_spent_complexity_budget_pauses_for_retry_in_seconds(board, fake_monday):
    fake_monday.minute_budget = 10
    sync.run(board.pk)
    status, error = state(board)
    assert status == Board.Status.PAUSED and "Budget de complexité" in error
    assert board.retry_at is not None


def test_the_daily_limit_pauses_until_midnight_utc(board, fake_monday):
    fake_monday.daily_calls = 0
    sync.run(board.pk)
    status, error = state(board)
    assert status == Board.Status.PAUSED and "Limite quotidienne" in error and "minuit" in error


def test_a_user_without_access_to_the_board_is_an_error_with_the_reason(board, fake_monday):
    fake_monday.unauthorized = True
    sync.run(board.pk)
    status, error = state(board)
    assert status == Board.Status.FAILING and "USER_UNAUTHORIZED" in error


def test_a_board_gone_from_monday_is_an_error(board, fake_monday):
    board.board_id = "999"
    board.save()
    sync.run(board.pk)
    assert state(board) == (Board.Status.FAILING, state(board)[1]) and "Tableau introuvable" in board.last_error


def test_monday_down_pauses(board, fake_monday):
    fake_monday.faults.error_rate = 1.0
    sync.run(board.pk)
    status, error = state(board)
    assert status == Board.Status.PAUSED and "indisponible" in error


def test_a_good_read_clears_the_error(board, fake_monday, monday_board):
    fake_monday.unauthorized = True
    sync.run(board.pk)
    fake_monday.unauthorized = False
    fake_monday.add_item(monday_board, "Publication", values())
    sync.run(board.pk)
    assert state(board) == (Board.Status.CONNECTED, "")


@pytest.mark.parametrize(
    ("body", "kind", "words"),
    [
        ({"errors": [{"message": "x", "extensions": {"code": "COMPLEXITY_BUDGET_EXHAUSTED", "retry_in_seconds": 17}}]},
         RetryLater, "17 s"),
        ({"errors": [{"message": "x", "extensions": {"code": "DAILY_LIMIT_EXCEEDED"}}]}, RetryLater, "quotidienne"),
        ({"errors": [{"message": "Cursor expired", "extensions": {"code": "CursorException"}}]},
         client.CursorExpired, "Curseur"),
        ({"error_code": "InvalidColumnIdException", "error_message": "This column ID doesn't exist for the board",
          "status_code": 200}, ConnectorError, "InvalidColumnIdException"),
    ],
)  # fmt: skip
def test_errors_in_http_200_bodies(body, kind, words):
    error = client.error_for(client._errors(_response(200, body))[0])
    assert isinstance(error, kind) and words in str(error)


def test_the_recorded_bodies_are_understood():
    invalid_board = json.loads((FIXTURES / "error__invalid_board.json").read_text())
    assert "Tableau introuvable" in str(client.error_for(invalid_board["errors"][0]))
    not_authenticated = _response(401, json.loads((FIXTURES / "error__not_authenticated.json").read_text()))
    with pytest.raises(ConnectorError) as caught:
        client.check(not_authenticated)
    assert caught.value.reconnect


def _response(status: int, body: dict):
    import httpx

    return httpx.Response(status, json=body, request=httpx.Request("POST", "https://api.monday.com/v2"))
