"""The complaints register (one click from the desk) and the moderation register (from the outbox, the
evidence and the platform reports): filters, CSV, audit."""

import csv
import io
from datetime import datetime

import pytest
from django.urls import reverse

from vigie.audit.models import AuditEvent
from vigie.crisis import register as crises_register
from vigie.inbox import actions
from vigie.inbox.errors import ActionError
from vigie.records import registers
from vigie.records.models import Complaint, PlatformReport

pytestmark = pytest.mark.django_db


def _csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


def test_one_click_on_an_item_logs_the_complaint_with_its_answer(client, personas, deliver):
    message = deliver(1, "Le parking était complet, c'est dommage pour une formation si chère.")
    cm = personas["community_manager"]
    actions.compose_reply(message.thread, "Merci, nous réservons des places désormais.", by=cm, in_reply_to=message)
    client.force_login(cm)
    item_url = reverse("inbox:item", args=[message.item_id])
    assert "Inscrire au registre des réclamations" in client.get(item_url).content.decode()
    response = client.post(reverse("records:complaint_log", args=[message.pk]), {"next": item_url})
    assert response.status_code == 302 and response.url == item_url
    complaint = Complaint.objects.get(message=message)
    assert (complaint.platform, complaint.author_name) == ("facebook", "Emma Laurent")
    assert complaint.subject.startswith("Le parking était complet")
    assert complaint.answer == "Merci, nous réservons des places désormais."
    assert complaint.outcome == Complaint.Outcome.ANSWERED and complaint.procedure_version == "PCM3A-r1"
    assert complaint.logged_by == cm
    event = AuditEvent.objects.get(verb="complaint.logged")
    assert "a inscrit la réclamation de Emma Laurent" in event.summary
    page = client.get(item_url).content.decode()
    assert f"réclamation n° {complaint.pk}" in page
    assert reverse("records:complaint_log", args=[message.pk]) not in page  # no second button


def test_logging_twice_keeps_one_line(personas, ingest):
    message = ingest(1)
    first = registers.log_complaint(message, by=personas["community_manager"])
    assert first.source == "desk"  # nothing proposed it: a person's own judgement
    assert registers.log_complaint(message, by=personas["communication"]) == first
    assert Complaint.objects.count() == 1 and AuditEvent.objects.filter(verb="complaint.logged").count() == 1


def test_the_playbook_proposal_is_the_highlighted_button(client, personas, deliver):
    message = deliver(2, "Je suis déçue : la salle était trop petite, il faudrait revoir l'organisation.")
    assert "log_complaint" in set(message.recommendations.values_list("action", flat=True))
    assert registers.log_complaint(message, by=personas["community_manager"]).source == "playbook"
    Complaint.objects.all().delete()
    praise = deliver(3, "Merci pour cette belle journée, formation passionnante !")
    client.force_login(personas["community_manager"])
    page = client.get(reverse("inbox:item", args=[message.item_id])).content.decode()
    assert "★ Inscrire au registre des réclamations" in page
    other = client.get(reverse("inbox:item", args=[praise.item_id])).content.decode()
    assert "★ Inscrire au registre des réclamations" not in other  # offered, not proposed
    assert "Inscrire au registre des réclamations" in other


def test_our_own_reply_cannot_be_logged(personas, ingest):
    message = ingest(1)
    reply = actions.compose_reply(message.thread, "Merci", by=personas["community_manager"], in_reply_to=message)
    with pytest.raises(ActionError):
        registers.log_complaint(reply, by=personas["community_manager"])


def test_updating_a_complaint_is_audited_field_by_field(client, personas, ingest):
    complaint = registers.log_complaint(ingest(1), by=personas["community_manager"])
    client.force_login(personas["communication"])
    response = client.post(
        reverse("records:complaint", args=[complaint.pk]),
        {
            "subject": "Parking complet",
            "answer": "Places réservées",
            "outcome": "resolved",
            "improvement": "Dix places réservées aux stagiaires",
        },
    )
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert (complaint.outcome, complaint.improvement) == ("resolved", "Dix places réservées aux stagiaires")
    event = AuditEvent.objects.get(verb="complaint.updated")
    assert event.before["outcome"] == "open" and event.after["outcome"] == "resolved"


def test_the_complaints_register_filters_and_exports_csv_without_formulas(client, personas, ingest):
    cm = personas["community_manager"]
    registers.log_complaint(ingest(1, text='=HYPERLINK("http://x") trop cher'), by=cm)
    registers.log_complaint(
        ingest(2, platform="linkedin", channel_external_id="urn:li:organization:1", text="Horaires peu clairs"), by=cm
    )
    client.force_login(personas["direction"])
    page = client.get(reverse("records:complaints"), {"platform": "linkedin"}).content.decode()
    assert "Horaires peu clairs" in page and "trop cher" not in page
    rows = _csv(client.get(reverse("records:complaints_export")))
    assert rows[0][:7] == ["date", "plateforme", "auteur", "objet", "réponse apportée", "suite", "amélioration"]
    assert {row[3] for row in rows[1:]} == {'\'=HYPERLINK("http://x") trop cher', "Horaires peu clairs"}
    only = _csv(client.get(reverse("records:complaints_export"), {"platform": "linkedin"}))
    assert len(only) == 2 and only[1][1] == "LinkedIn"


def test_a_bad_period_says_so_in_french(client, personas):
    client.force_login(personas["direction"])
    page = client.get(reverse("records:complaints"), {"date_from": "2026-05-01", "date_to": "2026-04-01"})
    assert "La date de début est après la date de fin." in page.content.decode()


def test_the_moderation_register_lists_each_action_with_reason_charter_and_evidence(client, personas, deliver):
    from django.utils import timezone

    from vigie.replies.models import Charter

    Charter.objects.create(version="v2", url="https://ahtma.fr/charte", published_at=timezone.now())
    message = deliver(3, "Achetez des followers pas chers sur www.promo-followers.biz !!!")
    cm = personas["community_manager"]
    actions.moderate(message, "hide", by=cm)
    registers.record_report(message, by=cm, reference="FB-12345", pharos_reference="")
    rows = registers.moderation_register()
    assert [row["verb"] for row in rows] == ["report", "hide"]
    hide = rows[1]
    assert hide["who"] == "community-manager" and hide["charter"] == "Charte v2" and hide["procedure"] == "PCM3A-r1"
    assert hide["evidence"] is not None and hide["evidence"].message_id == message.pk
    assert hide["reason"] == "Spam ou publicité"  # the label as classified
    assert "référence FB-12345" in rows[0]["reason"]
    client.force_login(personas["direction"])
    assert "FB-12345" in client.get(reverse("records:moderation")).content.decode()
    only_hides = _csv(client.get(reverse("records:moderation_export"), {"verb": "hide"}))
    assert len(only_hides) == 2 and only_hides[1][1] == "Masquer" and only_hides[1][7] == "Charte v2"
    assert only_hides[1][10] == hide["evidence"].sha256


def test_a_report_is_recorded_from_the_item_and_audited(client, personas, ingest):
    message = ingest(1)
    client.force_login(personas["community_manager"])
    response = client.post(reverse("records:report", args=[message.pk]), {"reference": "LI-9", "next": "/boite/"})
    assert response.status_code == 302
    report = PlatformReport.objects.get()
    assert (report.reference, report.reported_by, report.closed) == ("LI-9", personas["community_manager"], False)
    assert AuditEvent.objects.filter(verb="message.reported", target_id=str(message.pk)).exists()


def test_the_moderation_register_filters_by_platform_and_date(personas, ingest):
    cm = personas["community_manager"]
    actions.moderate(ingest(1), "hide", by=cm)
    assert registers.moderation_register(platform="linkedin") == []
    assert len(registers.moderation_register(platform="facebook")) == 1
    assert registers.moderation_register(date_to=datetime(2020, 1, 1).date()) == []


# --- the crisis register --------------------------------------------------------------------------


@pytest.fixture
def two_crises(ingest, personas):
    """A closed wave on Facebook (also on LinkedIn), its statement published; an open attack on LinkedIn."""
    from datetime import timedelta

    from vigie.crisis import actions as crisis_actions
    from vigie.crisis import detection, service

    def opened(kind, messages, minutes_to_alert):
        observations = tuple(service.observation(m) for m in messages)
        at = messages[0].created_at + timedelta(minutes=minutes_to_alert)
        return service.open_crisis(detection.Signal(kind, at, messages[0].channel.platform, messages[0].created_at,
                                                    observations, "explication"))  # fmt: skip

    wave = [ingest(n, text="Honteux", created_at=datetime.fromisoformat("2026-11-10T14:00:00+01:00")
                   + timedelta(minutes=n)) for n in range(1, 4)]  # fmt: skip
    wave.append(ingest(4, platform="linkedin", channel_external_id="urn:li:organization:2414183",
                       thread_external_id="urn:li:share:1", external_id="urn:li:comment:(urn:li:activity:1,4)",
                       post=None, created_at=wave[-1].created_at))  # fmt: skip
    closed = opened("volume_surge", wave, 7)
    direction, communication = personas["direction"], personas["communication"]
    crisis_actions.draft_statement(closed, by=communication, text="Nous entendons vos critiques.")
    crisis_actions.approve_statement(closed, by=communication)
    crisis_actions.approve_statement(closed, by=direction)
    crisis_actions.publish_statement(closed, by=direction)
    crisis_actions.close(closed, by=direction, what_happened="Une vague après l'annonce", what_worked="=1+1",
                         to_change="Prévenir avant l'annonce\nRelire les annonces")  # fmt: skip
    attack = [ingest(10, platform="linkedin", channel_external_id="urn:li:organization:2414183",
                     thread_external_id="urn:li:share:2", external_id="urn:li:comment:(urn:li:activity:2,10)",
                     post=None, created_at=datetime.fromisoformat("2026-11-20T09:00:00+01:00"))]  # fmt: skip
    return {"closed": closed, "open": opened("staff_attack", attack, 0)}


def test_the_crisis_register_lists_each_crisis_with_what_was_done(client, personas, two_crises):
    client.force_login(personas["community_manager"])
    page = client.get(reverse("records:crises")).content.decode()
    assert "Registre des crises" in page and page.count('data-label="Signal"') == 2
    rows = crises_register.rows(crises_register.crises())
    attack, wave = rows  # newest first
    assert (wave["signal"], wave["platforms"]) == ("Vague de messages négatifs", "Facebook, LinkedIn")
    assert wave["messages"] == 4
    assert wave["to_alert"] == "7 min" and wave["outcome"] == "Clôturée" and wave["review"] == "rédigé"
    assert wave["statement"].startswith("publié le") and wave["actions"] == 2 and wave["closed"]
    assert (attack["signal"], attack["platforms"], attack["outcome"], attack["statement"]) == (
        "Attaque contre un membre de l'équipe",
        "LinkedIn",
        "Ouverte",
        "aucun",
    )
    assert attack["duration"].endswith("(en cours)") and attack["review"] == "" and attack["closed"] is None


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, {"open", "closed"}),
        ({"signal": "staff_attack"}, {"open"}),
        ({"status": "closed"}, {"closed"}),
        ({"platform": "linkedin"}, {"open", "closed"}),  # the wave reached LinkedIn too
        ({"platform": "youtube"}, set()),
        ({"date_from": "2026-11-15"}, {"open"}),
        ({"date_to": "2026-11-15"}, {"closed"}),
    ],
)
def test_the_crisis_register_filters(client, personas, two_crises, query, expected):
    client.force_login(personas["direction"])
    page = client.get(reverse("records:crises"), query).content.decode()
    table = page.partition('id="crises"')[2].partition("</table>")[0]  # the open crisis's banner links to it too
    shown = {name for name, crisis in two_crises.items() if reverse("crisis:room", args=[crisis.pk]) in table}
    assert shown == expected


def test_the_crisis_register_exports_csv_without_formulas(client, personas, two_crises):
    client.force_login(personas["direction"])
    response = client.get(reverse("records:crises_export"), {"status": "closed"})
    assert response["Content-Disposition"] == 'attachment; filename="vigie-registre-crises.csv"'
    header, *rows = _csv(response)
    assert header[:5] == ["ouverte le", "close le", "signal", "plateformes", "messages"]
    assert header[5:7] == ["délai avant l'alerte", "durée"]
    [row] = rows
    values = dict(zip(header, row, strict=True))
    assert values["signal"] == "Vague de messages négatifs" and values["messages"] == "4"
    assert values["ce qu'il faut changer"] == "Prévenir avant l'annonce\nRelire les annonces"
    assert values["ce qui a marché"] == "'=1+1"  # a cell is never a formula
    assert values["actions d'amélioration"] == "2" and values["issue"] == "Clôturée"
    bad = client.get(reverse("records:crises"), {"date_from": "2026-12-01", "date_to": "2026-11-01"})
    assert "La date de début est après la date de fin." in bad.content.decode()
