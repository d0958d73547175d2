import pytest
from django.core.management import call_command

from vigie.api import tokens
from vigie.api.models import ApiToken
from vigie.inbox import actions

pytestmark = pytest.mark.django_db


@pytest.fixture
def token(cm):
    return tokens.issue(cm)[1]


def get(client, url, token=None, **params):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return client.get(url, params, **headers)


def test_messages_are_refused_without_a_token(client, ingest):
    ingest(1)
    response = get(client, "/api/v1/messages")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"


def test_a_wrong_token_is_refused(client):
    assert get(client, "/api/v1/messages", "vig_faux").status_code == 401


def test_a_session_does_not_open_the_api(client, cm):
    client.force_login(cm)
    assert client.get("/api/v1/messages").status_code == 401


def test_messages_answer_with_a_token(client, ingest, token):
    ingest(1, text="Bonjour, une question sur le CPF")
    response = get(client, "/api/v1/messages", token)
    assert response.status_code == 200
    [message] = response.json()["results"]
    assert message["platform"] == "facebook" and message["kind"] == "comment"
    assert message["external_id"] == "712750021053074_1"
    assert message["author"] == {"id": "author-1", "name": "Auteur 1", "person_id": None}
    assert message["text"] == "Bonjour, une question sur le CPF"
    assert message["status"] == "new" and message["edited"] is False and message["removed"] is False
    assert {"id", "thread_id", "created_at"} <= set(message)


def test_edited_and_removed_messages_say_so(client, ingest, token):
    ingest(1, text="avant")
    ingest(1, text="après")
    ingest(2)
    ingest(2, removed=True)
    flags = {
        m["external_id"][-1]: (m["edited"], m["removed"])
        for m in get(client, "/api/v1/messages", token).json()["results"]
    }
    assert flags == {"1": (True, False), "2": (False, True)}


def test_the_cursor_walks_every_message_once(client, ingest, token):
    for n in range(1, 12):
        ingest(n)
    seen, url, params = [], "/api/v1/messages", {"limit": 4}
    while url:
        body = get(client, url, token, **params).json()
        seen += [m["external_id"] for m in body["results"]]
        url, params = body["next"], {}
    assert len(seen) == 11 == len(set(seen))
    assert seen[0].endswith("_11")


def test_the_api_uses_the_inbox_filters(client, ingest, token, cm):
    ingest(1, text="Formation hypnose à Lyon")
    private = ingest(2, kind="private_message", external_id="m_2", thread_external_id="t_2", post=None)
    actions.assign(private.item, cm, by=cm)
    assert [
        m["external_id"] for m in get(client, "/api/v1/messages", token, kind="private_message").json()["results"]
    ] == ["m_2"]
    assert [m["external_id"] for m in get(client, "/api/v1/messages", token, assignee="me").json()["results"]] == [
        "m_2"
    ]
    assert len(get(client, "/api/v1/messages", token, q="hypnose").json()["results"]) == 1
    assert get(client, "/api/v1/threads", token, platform="linkedin").json()["results"] == []


def test_each_message_carries_its_own_work_state_and_is_filtered_on_it(client, ingest, token, cm):
    from vigie.inbox.models import Item

    first, second = ingest(1), ingest(2)
    actions.change_status(first.item, "done", by=cm)
    actions.assign(second.item, cm, by=cm)
    Item.objects.filter(pk=second.item_id).update(priority=2)
    by_id = {m["external_id"]: m for m in get(client, "/api/v1/messages", token).json()["results"]}
    assert (by_id[first.external_id]["status"], by_id[first.external_id]["priority"]) == ("done", "normal")
    assert by_id[second.external_id]["status"] == "new" and by_id[second.external_id]["assignee"] == cm.username
    assert by_id[second.external_id]["priority"] == "urgent" and by_id[second.external_id]["item_id"] == second.item_id
    assert [m["external_id"] for m in get(client, "/api/v1/messages", token, status="done").json()["results"]] == [
        first.external_id]  # fmt: skip
    assert [m["external_id"] for m in get(client, "/api/v1/messages", token, priority="urgent").json()["results"]] == [
        second.external_id]  # fmt: skip
    assert get(client, "/api/v1/messages", token, priority="énorme").status_code == 400


# the old cursor format (base64 JSON) decoding to NaN, Infinity, deep nesting or a string (issue #14, 4)
OLD_CURSORS = ["W05hTiwgMV0", "WzFlOTk5LCAxXQ", "W1tbW1tbW1tbWzFdXV1dXV1dXV0sIDFd", "WyJ4IiwgMV0"]
JUNK = [
    ("platform", "myspace"), ("platform", ""), ("limit", "0"), ("limit", "201"), ("limit", "²"), ("limit", "1_0"),
    ("limit", "5.0"), ("limit", " 5"), ("limit", "9" * 5000), ("cursor", "%%%"), ("cursor", ""), ("cursor", "1.2.3.4"),
    *[("cursor", old) for old in OLD_CURSORS], ("date_from", "hier"), ("date_from", "2026-02-30"),
    ("date_from", "20261120"), ("date_to", "2026-11-20T00:00"), ("assignee", "1" * 30), ("assignee", "²"),
    ("assignee", "Me"), ("assignee", ""), ("targets_staff", "on"), ("uncertain", "1"), ("q", "a\x00b"),
    ("q", "x" * 201), ("status", ""), ("platfrom", "facebook"),
]  # fmt: skip


@pytest.mark.parametrize("url", ["/api/v1/messages", "/api/v1/threads"])
@pytest.mark.parametrize(("name", "value"), JUNK)
def test_junk_in_any_parameter_is_a_400_that_names_it(client, token, url, name, value):
    response = get(client, url, token, **{name: value})
    assert response.status_code == 400
    assert list(response.json()) == [name] and response.json()[name][0]


@pytest.mark.parametrize(("name", "value"), [("limit", "²"), ("cursor", OLD_CURSORS[0]), ("cursor", "1.2.3.4"),
                                             ("order", "due")])  # fmt: skip
def test_the_planning_list_refuses_junk_too(client, token, name, value):
    assert get(client, "/api/v1/planning", token, **{name: value}).status_code == 400


def test_any_day_of_the_calendar_is_a_valid_bound(client, ingest, token):
    ingest(1)
    for url in ("/api/v1/messages", "/api/v1/threads"):
        body = get(client, url, token, date_from="0001-01-01", date_to="9999-12-31").json()
        assert len(body["results"]) == 1
        assert get(client, url, token, date_from="9999-12-31").json()["results"] == []


def test_the_filters_take_the_schemas_values(client, ingest, token, cm):
    ingest(1)
    params = {"assignee": str(cm.pk), "q": "", "targets_staff": "false", "uncertain": "false", "status": "open",
              "limit": "200", "date_from": "2026-11-20"}  # fmt: skip
    assert len(get(client, "/api/v1/messages", token, **params).json()["results"]) == 0
    params["assignee"] = "none"
    assert len(get(client, "/api/v1/messages", token, **params).json()["results"]) == 1


def test_an_unknown_address_under_the_api_is_a_json_404(client, token):
    response = get(client, "/api/v1/messages/abc", token)
    assert response.status_code == 404 and response.json() == {"detail": "Aucune opération de l'API à cette adresse."}
    assert get(client, "/api/v2/messages", token).status_code == 404


def test_one_message_and_one_thread(client, ingest, token):
    message = ingest(1)
    assert get(client, f"/api/v1/messages/{message.pk}", token).json()["id"] == message.pk
    thread = get(client, f"/api/v1/threads/{message.thread_id}", token).json()
    assert thread["message_count"] == 1 and thread["kind"] == "comment"
    missing = get(client, "/api/v1/messages/999999", token)
    assert missing.status_code == 404 and missing.json() == {"detail": "Aucun message sous l'identifiant 999999."}


def test_a_user_without_a_role_gets_403(client, personas):
    assert get(client, "/api/v1/messages", tokens.issue(personas["outsider"])[1]).status_code == 403


@pytest.mark.parametrize("role", ["community_manager", "communication", "direction", "admin"])
def test_every_role_reads_the_api(client, personas, role):
    assert get(client, "/api/v1/threads", tokens.issue(personas[role])[1]).status_code == 200


def test_an_inactive_users_token_stops_working(client, cm, token):
    cm.is_active = False
    cm.save()
    assert get(client, "/api/v1/messages", token).status_code == 401


def _openapi(client) -> dict:
    import yaml

    response = client.get("/api/v1/schema")
    assert response.status_code == 200
    return yaml.safe_load(response.content)


def test_the_openapi_schema_describes_every_answer_of_every_operation(client):
    schema = _openapi(client)
    assert schema["components"]["securitySchemes"]["jeton"] == schema["components"]["securitySchemes"]["jeton"] | {
        "type": "http", "scheme": "bearer"}  # fmt: skip
    operations = {f"{method.upper()} {path}": op for path, ops in schema["paths"].items() for method, op in ops.items()}
    assert {"GET /api/v1/messages", "GET /api/v1/threads", "GET /api/v1/planning"} <= set(operations)
    for label, operation in operations.items():
        assert operation["security"] == [{"jeton": []}], label
        expected = {"200", "401", "403"} | ({"404"} if "{" in label else {"400"})
        assert set(operation["responses"]) == expected, label
    responses = operations["GET /api/v1/messages/{id}"]["responses"]
    assert responses["404"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}


def test_the_schema_states_the_limits_and_formats_the_code_enforces(client):
    parameters = {p["name"]: p["schema"] for p in _openapi(client)["paths"]["/api/v1/messages"]["get"]["parameters"]}
    assert parameters["limit"] | {} == {"type": "integer", "minimum": 1, "maximum": 200, "default": 50}
    assert parameters["date_from"] == {"type": "string", "format": "date"}
    assert parameters["targets_staff"] == {"type": "boolean"}
    assert parameters["platform"]["enum"] == ["facebook", "linkedin", "youtube"]
    assert parameters["assignee"]["pattern"] == "^(?:me|none|[0-9]{1,18})$"
    assert parameters["cursor"]["pattern"].startswith("^(?:-?[0-9]{1,16}|[0-9]{17})")


def test_the_docs_page_is_served_locally_without_a_cdn_with_a_way_back(client, personas):
    client.force_login(personas["admin"])
    page = client.get("/api/v1/docs").content.decode()
    assert "swagger-ui" in page and "cdn" not in page.lower()
    assert 'href="/boite/">← Retour à Vigie</a>' in page


def test_the_token_command_prints_a_working_token_and_keeps_only_its_hash(client, cm, capsys):
    call_command("api_token", cm.username)
    printed = capsys.readouterr().out.strip()
    assert printed.startswith("vig_")
    assert not ApiToken.objects.filter(token_sha256=printed).exists()
    assert get(client, "/api/v1/messages", printed).status_code == 200


def test_the_schema_is_public_and_holds_no_data(client, ingest):
    """Decision (docs/architecture.md, « API »): the schema stays public; it describes, it never lists."""
    ingest(1, text="Texte privé d'un message 7f3a")
    response = client.get("/api/v1/schema", HTTP_AUTHORIZATION="Bearer vig_faux")
    assert response.status_code == 200
    text = response.content.decode()
    assert "/api/v1/messages" in text and "7f3a" not in text and "Auteur 1" not in text
    assert client.get("/api/v1/docs").status_code == 302  # the Swagger page itself asks for a login
