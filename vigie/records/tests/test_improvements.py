"""Improvement actions: opened from a deviation or a complaint, done only with evidence, overdue ones shown
and told to the direction once a day."""

from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse

from vigie.audit.models import AuditEvent
from vigie.inbox.errors import ActionError
from vigie.notifications.models import Notification
from vigie.records import improvements, registers
from vigie.records.models import ImprovementAction

pytestmark = pytest.mark.django_db


def _action(personas, due_on, **kwargs):
    return improvements.open_action(
        by=personas["direction"],
        title=kwargs.pop("title", "Réserver des places"),
        owner=personas["communication"],
        due_on=due_on,
        **kwargs,
    )


def test_an_action_opened_from_a_complaint_is_linked_and_audited(client, personas, ingest):
    complaint = registers.log_complaint(ingest(1), by=personas["community_manager"])
    client.force_login(personas["direction"])
    response = client.post(
        reverse("records:improvement_new"),
        {
            "title": "Réserver dix places de parking",
            "owner": personas["communication"].pk,
            "due_on": "2026-12-15",
            "origin": "complaint",
            "complaint": complaint.pk,
            "next": f"/suivi/reclamations/{complaint.pk}/",
        },
    )
    assert response.status_code == 302 and response.url == f"/suivi/reclamations/{complaint.pk}/"
    action = ImprovementAction.objects.get()
    assert (action.complaint, action.owner, action.origin) == (complaint, personas["communication"], "complaint")
    assert "confiée à communication pour le 15/12/2026" in AuditEvent.objects.get(verb="improvement.opened").summary
    assert "Réserver dix places de parking" in client.get(response.url).content.decode()


def test_the_form_opened_from_a_deviation_starts_filled_in(client, personas, labelled):
    from vigie.records import quality

    labelled(1, "spam")
    check = quality.draw_check(date(2026, 11, 1), by=personas["direction"], size=1)
    sample = check.samples.get()
    quality.review(sample, by=personas["direction"], label="abuse", action_ok=True, time_ok=True)
    client.force_login(personas["direction"])
    page = client.get(reverse("records:improvements"), {"sample": sample.pk}).content.decode()
    assert "Écart du contrôle qualité 11/2026 (message 1)" in page and f'value="{sample.pk}"' in page


def test_a_missing_owner_is_refused_in_french(client, personas):
    client.force_login(personas["direction"])
    form = client.get(reverse("records:improvements")).content.decode()
    assert '<option value="" selected>Choisir une personne</option>' in form and "---------" not in form
    response = client.post(
        reverse("records:improvement_new"), {"title": "X", "due_on": "2026-12-15", "origin": "other"}, follow=True
    )
    assert "Action non ouverte : Responsable : Ce champ est obligatoire." in response.content.decode()
    assert not ImprovementAction.objects.exists()


def test_done_needs_evidence(personas):
    action = _action(personas, date(2026, 12, 1))
    with pytest.raises(ActionError, match="preuve de réalisation"):
        improvements.update_action(action, by=personas["communication"], status="done")
    done = improvements.update_action(
        action, by=personas["communication"], status="done", evidence="Convention signée avec le parking, 10 places"
    )
    assert done.status == "done" and done.done_at is not None
    assert AuditEvent.objects.get(verb="improvement.updated").after["status"] == "done"


@time_machine.travel("2026-11-30 09:00 +01:00", tick=False)
def test_overdue_actions_are_shown_first_and_told_to_the_direction_once_a_day(client, personas):
    late = _action(personas, date(2026, 11, 29), title="Relire les modèles de réponse")
    _action(personas, date(2026, 11, 30), title="Due aujourd'hui")
    finished = _action(personas, date(2026, 11, 1), title="Déjà faite")
    improvements.update_action(finished, by=personas["admin"], status="done", evidence="Fait")
    assert list(improvements.overdue()) == [late]
    assert improvements.notify_overdue() == 1
    assert improvements.notify_overdue() == 0  # once a day
    [note] = Notification.objects.filter(recipient=personas["direction"])
    assert note.title == "1 action d'amélioration en retard" and "Relire les modèles de réponse" in note.body
    assert not Notification.objects.filter(recipient=personas["community_manager"]).exists()
    client.force_login(personas["direction"])
    page = client.get(reverse("records:improvements")).content.decode()
    overdue_part = page.split('id="overdue"')[1].split("</ul>")[0]
    assert "Relire les modèles de réponse" in overdue_part and "Due aujourd'hui" not in overdue_part
    with time_machine.travel(date(2026, 12, 1) + timedelta(hours=9), tick=False):
        assert improvements.notify_overdue() == 2  # the next day: still late, and one more


def test_the_improvement_plan_exports_csv(client, personas):
    _action(personas, date(2020, 1, 1), title="=cmd|' /C calc'!A0")
    client.force_login(personas["direction"])
    response = client.get(reverse("records:improvements"), {"format": "csv"})
    body = b"".join(response.streaming_content).decode()
    assert "'=cmd|" in body and ",oui," in body
