"""The API keeps the contract its OpenAPI schema states (issue #15): Schemathesis generates requests from
`/api/v1/schema`, the ones it allows and the ones it forbids, for every operation in it, sends them to the
WSGI application with a token and data in the database, and runs all its checks on each answer: statuses
and bodies documented, valid requests accepted, invalid ones refused, no server error, authentication
not ignored, 405 for other methods. Derandomized and bounded: the same cases on every run."""

from datetime import UTC, datetime

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import positive_data_acceptance

from vigie.api import tokens
from vigie.planning.models import Board, PlannedPost

pytestmark = pytest.mark.django_db

EXAMPLES = 50  # per operation and phase (examples, coverage, fuzzing)

schema = schemathesis.openapi.from_wsgi("/api/v1/schema", get_wsgi_application())


@schema.auth()
class Token:
    """A community manager's token, on every case except those that leave it out on purpose (401 expected)."""

    value = ""

    def get(self, case, context):
        return Token.value

    def set(self, case, data, context):
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


@pytest.fixture
def api_token(cm):
    Token.value = tokens.issue(cm)[1]
    yield
    Token.value = ""


@pytest.fixture
def api_data(deliver, ingest, cm):
    """Messages through the whole pipeline (labels, items), a private message, a planned post."""
    for n in range(1, 4):
        deliver(n, f"Bonjour, question numéro {n} sur la formation")
    ingest(9, kind="private_message", external_id="m_9", thread_external_id="t_9", post=None)
    board = Board.objects.create(board_id="1", name="Planning")
    moment = datetime(2026, 12, 3, 8, 30, tzinfo=UTC)
    PlannedPost.objects.create(board=board, monday_item_id="10", name="Portes ouvertes", publish_at=moment,
                               sort_at=moment)  # fmt: skip


@pytest.fixture
def in_the_test_transaction():
    """Requests answered inside the test's transaction, as Django's test client does: the WSGI handler
    would otherwise close the connection at the end of each request (PostgreSQL)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


# The limits OpenAPI cannot state for the indicators' period: at most 731 days between its two parameters
# (`from`, `to`), dates from 2000 to 2100 (said in the description: a date's range has no schema keyword).
# Their 400 is documented; only the « valid data is accepted » check is left out, for that operation alone
# (indicators/periods.py; tested in vigie/indicators/tests).
ACROSS_PARAMETERS = {("GET", "/api/v1/indicators"): [positive_data_acceptance]}


@schema.parametrize()
@settings(max_examples=EXAMPLES, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_keeps_its_contract(case, api_data, api_token, in_the_test_transaction):
    case.call_and_validate(excluded_checks=ACROSS_PARAMETERS.get((case.method, case.path), []))
