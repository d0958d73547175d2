"""The page, its CSV, the API and `vigie report`: who may see them, what they say, bad periods."""

import csv
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from pypdf import PdfReader

from vigie.accounts.roles import ROLES
from vigie.api import tokens
from vigie.indicators import periods

pytestmark = pytest.mark.django_db
NOVEMBER = {"from": "2026-11-01", "to": "2026-11-30"}


@pytest.fixture
def november(message):
    message("2026-11-10T10:00:00+01:00", label="question")
    message("2026-11-10T11:00:00+01:00", label="abuse", staff=True)
    message("2026-11-11T10:00:00+01:00", label="spam", platform="linkedin")
    message("2026-10-20T10:00:00+02:00", label="question")


@pytest.mark.parametrize("role", [*ROLES, "outsider"])
def test_each_role_reads_the_indicators_and_their_csv(client, personas, role):
    client.force_login(personas[role])
    allowed = role != "outsider"
    assert client.get("/indicateurs/").status_code == (200 if allowed else 403)
    assert client.get("/indicateurs/export/labels.csv").status_code == (200 if allowed else 403)


def test_anonymous_visitors_go_to_the_login_page(client):
    response = client.get("/indicateurs/")
    assert response.status_code == 302 and response.url.startswith("/compte/connexion/")


@pytest.mark.parametrize(
    ("role", "landing"),
    [
        ("direction", "/indicateurs/"),
        ("community_manager", "/boite/"),
        ("communication", "/boite/"),
        ("admin", "/boite/"),
    ],
)
def test_the_direction_lands_on_the_indicators_the_others_on_the_inbox(client, personas, role, landing):
    response = client.post(
        "/compte/connexion/", {"username": personas[role].username, "password": "motdepasse-de-test"}, follow=True
    )
    assert response.redirect_chain[-1][0] == landing
    assert client.get("/").url == landing


def test_every_role_finds_the_page_in_the_menu(client, personas):
    client.force_login(personas["community_manager"])
    assert 'href="/indicateurs/"' in client.get("/boite/").content.decode()


def test_the_page_shows_figures_charts_with_their_data_and_tables(client, personas, november):
    client.force_login(personas["direction"])
    page = client.get("/indicateurs/", NOVEMBER).content.decode()
    assert "du 01/11/2026 au 30/11/2026" in page
    assert page.count('<svg class="chart"') == 3 and 'role="img"' in page and "<desc id=" in page
    assert "3 messages reçus sur la période" in page
    assert "Voir les données" in page and "Qualité du tri" in page
    assert page.count("Exporter") >= 12  # each table, and each chart's data


def test_last_month_is_one_tap_away_and_whole(client, personas):
    client.force_login(personas["direction"])
    page = client.get("/indicateurs/").content.decode()
    assert 'href="?period=last_month"' in page and "Le mois dernier" in page
    page = client.get("/indicateurs/", {"period": "last_month"}).content.decode()
    last_month = periods.preset(periods.LAST_MONTH, timezone.localdate())
    assert f"Période : {last_month.title} ({last_month.days} jours" in page
    assert '<a href="?period=last_month" aria-current="page">Le mois dernier</a>' in page


@pytest.mark.parametrize("today, offered", [("2026-12-03", True), ("2026-12-07", True), ("2026-12-08", False)])
def test_in_the_first_days_of_a_month_the_page_offers_the_whole_month_before(client, personas, time_machine, today,
                                                                           offered):  # fmt: skip
    time_machine.move_to(f"{today}T10:00:00+01:00", tick=False)
    client.force_login(personas["direction"])
    page = client.get("/indicateurs/", {"platform": "facebook"}).content.decode()
    hint = 'Le mois commence : <a href="?period=last_month&amp;platform=facebook">voir le mois dernier en entier</a>'
    assert (hint in page) is offered
    assert "Le mois commence" not in client.get("/indicateurs/", {"period": "week"}).content.decode()


def test_a_bad_period_says_why(client, personas):
    client.force_login(personas["direction"])
    response = client.get("/indicateurs/", {"from": "2026-11-30", "to": "2026-11-01"})
    assert response.status_code == 400 and "précède" in response.content.decode()


def test_each_table_exports_as_csv(client, personas, november):
    client.force_login(personas["direction"])
    for key in (
        "figures",
        "labels",
        "platforms",
        "private",
        "responses",
        "requests",
        "moderation",
        "classification",
        "crises",
        "rounds",
        "series",
    ):
        response = client.get(f"/indicateurs/export/{key}.csv", NOVEMBER)
        assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
        rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
        assert len(rows[0]) >= 3
    labels = client.get("/indicateurs/export/labels.csv", NOVEMBER)
    rows = list(csv.reader(io.StringIO(b"".join(labels.streaming_content).decode("utf-8-sig"))))
    assert rows[-1][:4] == ["Total", "3", "0", "3"]
    assert client.get("/indicateurs/export/nothing.csv").status_code == 404
    refused = client.get("/indicateurs/export/labels.csv", {"from": "2026-11-30", "to": "2026-11-01"})
    assert refused.status_code == 400 and "précède" in refused.content.decode()


def _api(client, token, **params):
    return client.get("/api/v1/indicators", params, HTTP_AUTHORIZATION=f"Bearer {token}")


def test_the_api_follows_the_contract(client, personas, november):
    token = tokens.issue(personas["direction"])[1]
    body = _api(client, token, **NOVEMBER).json()
    assert body["messages"]["total"] == 3
    assert body["messages"]["by_platform"]["linkedin"] == 1 and body["messages"]["by_kind"]["comment"] == 3
    assert body["messages"]["by_label"]["abuse"] == 1
    assert set(body["private_messages"]) >= {
        "needing_reply",
        "answered_within_24h",
        "answered_late",
        "unanswered",
        "median_first_response_minutes",
    }
    assert set(body["moderation"]) >= {"hide", "delete", "block", "report"}
    assert body["crises"]["count"] == 0 and set(body["rounds"]) >= {"done", "missed"}
    assert body["previous"]["messages"]["total"] == 1
    assert _api(client, token, platform="linkedin", **NOVEMBER).json()["messages"]["total"] == 1


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"from": "2026-11-01"},
        {"from": "hier", "to": "2026-11-30"},
        {"from": "2026-11-30", "to": "2026-11-01"},
        {"from": "2020-01-01", "to": "2026-01-01"},
        {"from": "0001-01-06", "to": "0001-11-06"},  # its previous period would be before year 1 (a 500 before)
        {"from": "9999-01-01", "to": "9999-02-01"},
        {**NOVEMBER, "platform": "myspace"},
    ],
)
def test_the_api_refuses_a_bad_period_with_a_clear_error(client, personas, params):
    token = tokens.issue(personas["direction"])[1]
    response = _api(client, token, **params)
    assert response.status_code == 400
    [errors] = response.json().values()
    assert errors and isinstance(errors[0], str)


def test_the_api_needs_a_token(client):
    assert client.get("/api/v1/indicators", NOVEMBER).status_code == 401


def test_the_schema_documents_the_endpoint(client):
    schema = client.get("/api/v1/schema", HTTP_ACCEPT="application/json").content.decode()
    assert "/api/v1/indicators" in schema and "dernier jour, inclus" in schema


def test_vigie_report_prints_the_same_json_as_the_api(client, personas, november, capsys):
    token = tokens.issue(personas["direction"])[1]
    call_command("report", "--from", "2026-11-01", "--to", "2026-11-30")
    printed = json.loads(capsys.readouterr().out)
    answered = _api(client, token, **NOVEMBER).json()
    assert printed == answered


def test_vigie_report_writes_csv_and_pdf(tmp_path, november):
    call_command(
        "report", "--from", "2026-11-01", "--to", "2026-11-30", "--format", "csv", "--output", str(tmp_path / "n.csv")
    )
    text = (tmp_path / "n.csv").read_text(encoding="utf-8")
    assert "Volumes par étiquette" in text and "Propos injurieux,1,0,1" in text
    call_command(
        "report", "--from", "2026-11-01", "--to", "2026-11-30", "--format", "pdf", "--output", str(tmp_path / "n.pdf")
    )
    pages = PdfReader(tmp_path / "n.pdf").pages
    assert "Messages reçus" in "".join(page.extract_text() for page in pages)


def test_vigie_report_refuses_bad_dates():
    with pytest.raises(CommandError, match="AAAA-MM-JJ"):
        call_command("report", "--from", "01/11/2026", "--to", "2026-11-30")
    with pytest.raises(CommandError, match="--output"):
        call_command("report", "--from", "2026-11-01", "--to", "2026-11-30", "--format", "pdf")
