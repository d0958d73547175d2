"""The « Cellule de crise »: decisions (escalate, merge, dismiss, close with a review), the strategy and the
statement (versions, approvals, publication through the platform outbox), the pages and their roles."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from vigie.audit.models import AuditEvent
from vigie.crisis import actions, detection, dryrun, room, service
from vigie.crisis.demo import start_demo_crisis
from vigie.crisis.models import Crisis, CrisisSettings, Statement
from vigie.inbox.models import Message
from vigie.moderation.models import PlatformAction
from vigie.records.models import ImprovementAction

pytestmark = pytest.mark.django_db
PASSWORD = "motdepasse-de-test"


@pytest.fixture
def crisis(personas):
    opened = start_demo_crisis()
    assert opened is not None and opened.signal == "staff_attack"
    return opened


def audited(crisis, verb):
    return AuditEvent.objects.filter(verb=verb, target_type="crisis", target_id=str(crisis.pk))


def test_the_demo_crisis_goes_through_the_pipeline_and_is_marked(crisis):
    assert crisis.demo and crisis.links.count() == 3
    assert set(crisis.links.values_list("message__thread__platform", flat=True)) == {"facebook"}
    again = start_demo_crisis()
    assert again.pk == crisis.pk and again.links.count() == 6  # the open crisis takes the new attacks


def test_escalating_needs_a_reason_and_is_audited(crisis, personas):
    with pytest.raises(actions.CrisisError, match="raison"):
        actions.escalate(crisis, by=personas["direction"], reason="  ")
    actions.escalate(crisis, by=personas["direction"], reason="La presse locale relaie")
    crisis.refresh_from_db()
    assert crisis.status == Crisis.Status.ESCALATED and crisis.active
    assert audited(crisis, "crisis.escalated").get().summary == "Crise escaladée : La presse locale relaie"


def test_a_dismissed_false_alarm_is_closed_and_shown_in_the_dry_run(crisis, personas):
    actions.dismiss(crisis, by=personas["communication"], reason="Citation d'un article, pas une attaque")
    crisis.refresh_from_db()
    assert crisis.status == Crisis.Status.DISMISSED and not crisis.active and crisis.closed_at
    result = dryrun.dry_run(detection.Thresholds(), now=timezone.now() + timedelta(minutes=1))
    assert len(result.alerts) == 1 and result.false_alarms == 1
    assert result.alerts[0].known == crisis
    stricter = dryrun.dry_run(detection.Thresholds(staff_min_attacks=5), now=timezone.now() + timedelta(minutes=1))
    assert stricter.alerts == []


def test_merging_moves_the_messages_into_the_other_crisis(crisis, personas):
    other = service.open_crisis(detection.Signal("volume_surge", crisis.detected_at, "facebook", crisis.started_at,
                                                 (), "Vague"))  # fmt: skip
    actions.merge(crisis, other, by=personas["direction"], reason="Les mêmes faits")
    crisis.refresh_from_db()
    assert crisis.status == Crisis.Status.MERGED and crisis.merged_into == other
    assert other.links.count() == 3
    with pytest.raises(actions.CrisisError):
        actions.merge(other, other, by=personas["direction"], reason="x")


def test_closing_needs_the_three_parts_of_the_review(crisis, personas):
    with pytest.raises(actions.CrisisError, match="bilan"):
        actions.close(crisis, by=personas["direction"], what_happened="Attaques", what_worked="", to_change="")
    actions.close(crisis, by=personas["direction"], what_happened="Trois attaques", what_worked="Réponse rapide",
                  to_change="Prévenir la directrice par SMS")  # fmt: skip
    crisis.refresh_from_db()
    assert crisis.status == Crisis.Status.CLOSED and crisis.review_to_change == "Prévenir la directrice par SMS"
    with pytest.raises(actions.CrisisError, match="déjà"):
        actions.dismiss(crisis, by=personas["direction"], reason="x")


def test_the_strategy_is_versioned(crisis, personas):
    actions.save_strategy(crisis, by=personas["direction"], decision="Masquer, répondre par un communiqué",
                          owners="Sophie : communiqué")  # fmt: skip
    actions.save_strategy(crisis, by=personas["communication"], decision="Porter plainte", owners="")
    assert list(crisis.strategies.values_list("number", "decision")) == [
        (2, "Porter plainte"),
        (1, "Masquer, répondre par un communiqué"),
    ]
    assert audited(crisis, "crisis.strategy").count() == 2


def test_the_statement_needs_both_approvals_then_goes_out_through_the_platform_outbox(crisis, personas):
    direction, communication = personas["direction"], personas["communication"]
    actions.draft_statement(crisis, by=communication, text="Nous condamnons ces propos.")
    with pytest.raises(actions.CrisisError, match="approuvé"):
        actions.publish_statement(crisis, by=direction)
    actions.approve_statement(crisis, by=direction)
    assert Statement.objects.get(crisis=crisis).status == Statement.Status.DRAFT  # communication has not approved
    actions.draft_statement(crisis, by=communication, text="Nous condamnons fermement ces propos.")  # new words
    actions.approve_statement(crisis, by=communication)
    assert Statement.objects.get(crisis=crisis).status == Statement.Status.DRAFT  # direction approved v1 only
    actions.approve_statement(crisis, by=direction)
    statement = Statement.objects.get(crisis=crisis)
    assert statement.status == Statement.Status.APPROVED
    assert sorted(statement.current.approvals.values_list("role", flat=True)) == ["communication", "direction"]
    with pytest.raises(actions.CrisisError, match="direction"):
        actions.approve_statement(crisis, by=personas["community_manager"])

    publications = actions.publish_statement(crisis, by=communication)
    [publication] = publications  # the demo's attacks are on one post
    assert "en réponse sur 1 fil" in audited(crisis, "crisis.statement_published").get().summary
    reply = publication.reply
    assert reply.kind == Message.Kind.REPLY and reply.text == "Nous condamnons fermement ces propos."
    assert PlatformAction.objects.filter(reply_message=reply, verb="reply").count() == 1
    assert Statement.objects.get(crisis=crisis).status == Statement.Status.PUBLISHED
    with pytest.raises(actions.CrisisError):
        actions.publish_statement(crisis, by=communication)
    assert room.follow_up(crisis).publications == 1
    assert statement.versions.count() == 2


def test_closing_needs_the_review_and_each_change_opens_an_improvement_action(client, crisis, personas):
    direction, communication = personas["direction"], personas["communication"]
    with pytest.raises(actions.CrisisError, match="bilan"):
        actions.close(crisis, by=direction, what_happened="a", what_worked="b", to_change=" - \n  ")
    actions.close(crisis, by=direction, what_happened="Trois attaques contre Nadia en 3 minutes",
                  what_worked="Alerte reçue tout de suite, messages masqués",
                  to_change="- Prévenir la personne visée dans l'heure\n\n• Ajouter les alias de l'équipe",
                  owner=communication, due_on=date(2027, 1, 15))  # fmt: skip
    crisis.refresh_from_db()
    assert crisis.status == Crisis.Status.CLOSED and crisis.review_to_change.startswith("- Prévenir")
    found = ImprovementAction.objects.filter(crisis=crisis).order_by("id")
    assert [a.title for a in found] == ["Prévenir la personne visée dans l'heure", "Ajouter les alias de l'équipe"]
    assert {(a.origin, a.owner, a.due_on, a.status) for a in found} == {
        ("crisis", communication, date(2027, 1, 15), "open")}  # fmt: skip
    assert found[0].origin_reference == f"Crise n° {crisis.pk} — Attaque contre un membre de l'équipe"
    assert AuditEvent.objects.filter(verb="improvement.opened").count() == 2
    closed = audited(crisis, "crisis.closed").get()
    assert closed.after["improvement_actions"] == 2
    assert closed.summary == "Crise close, bilan rédigé : 2 actions d'amélioration ouvertes."
    client.force_login(personas["community_manager"])
    plan = client.get(reverse("records:improvements")).content.decode()
    assert "Prévenir la personne visée dans l&#x27;heure" in plan and f"crise n° {crisis.pk}" in plan
    exported = b"".join(client.get(reverse("records:improvements"), {"format": "csv"}).streaming_content).decode()
    assert f"Crise n° {crisis.pk} — Attaque contre un membre de l'équipe" in exported
    room_page = client.get(reverse("crisis:room", args=[crisis.pk])).content.decode()
    assert "Actions d'amélioration ouvertes par ce bilan" in room_page
    assert reverse("records:improvement", args=[found[0].pk]) in room_page


def test_closing_from_the_room_gives_the_actions_to_the_person_closing_by_default(client, crisis, personas):
    client.force_login(personas["direction"])
    form = client.get(reverse("crisis:room", args=[crisis.pk])).context["close_form"]
    assert form.initial["owner"] == personas["direction"].pk
    assert form.initial["due_on"] == timezone.localdate() + timedelta(days=actions.REVIEW_DAYS)
    data = {"what_happened": "a", "what_worked": "b", "to_change": "Former l'équipe", "owner": personas["direction"].pk,
            "due_on": "2027-02-01"}  # fmt: skip
    client.post(reverse("crisis:close", args=[crisis.pk]), data)
    [action] = ImprovementAction.objects.filter(crisis=crisis)
    assert action.owner == personas["direction"] and action.due_on == date(2027, 2, 1)
    listed = client.get(reverse("crisis:list")).content.decode()
    assert '<span class="tag">Clôturée</span>' in listed  # « Close » read as the English button word
    assert "Clôturée le" in client.get(reverse("crisis:room", args=[crisis.pk])).content.decode()


def test_the_room_counts_and_draws_the_volume_against_the_usual_rate(crisis):
    follow = room.follow_up(crisis)
    assert follow.messages == 3 and follow.last_hour == 3
    curve = room.curve(crisis)
    assert sum(bar.count for bar in curve) == 3  # the three attacks are abuse: negative
    assert all(bar.usual >= CrisisSettings.load().values().usual_rate_floor for bar in curve)


# pages and roles ---------------------------------------------------------------------------------

ALL = {"community_manager", "communication", "direction", "admin"}
DECIDERS = {"communication", "direction", "admin"}
VIEWS = [
    ("list", "get", lambda c: reverse("crisis:list"), ALL, 200, {}),
    ("room", "get", lambda c: reverse("crisis:room", args=[c.pk]), ALL, 200, {}),
    ("escalate", "post", lambda c: reverse("crisis:escalate", args=[c.pk]), DECIDERS, 302, {"reason": "r"}),
    ("dismiss", "post", lambda c: reverse("crisis:dismiss", args=[c.pk]), DECIDERS, 302, {"reason": "r"}),
    ("merge", "post", lambda c: reverse("crisis:merge", args=[c.pk]), DECIDERS, 302, {"reason": "r", "into": 0}),
    ("close", "post", lambda c: reverse("crisis:close", args=[c.pk]), DECIDERS, 302, {}),
    ("strategy", "post", lambda c: reverse("crisis:strategy", args=[c.pk]), DECIDERS, 302, {"decision": "d"}),
    ("statement", "post", lambda c: reverse("crisis:statement", args=[c.pk]), DECIDERS, 302, {"text": "t"}),
    ("approve", "post", lambda c: reverse("crisis:approve", args=[c.pk]), DECIDERS, 302, {}),
    ("publish", "post", lambda c: reverse("crisis:publish", args=[c.pk]), DECIDERS, 302, {}),
    ("retry-publication", "post", lambda c: reverse("crisis:retry_publication", args=[c.pk, 999]), DECIDERS, 404, {}),
    ("settings", "get", lambda c: reverse("crisis:settings"), {"admin"}, 200, {}),
    ("demo", "post", lambda c: reverse("crisis:demo"), {"admin"}, 302, {}),
]


@pytest.mark.parametrize("name,method,url,allowed,status,data", VIEWS, ids=[v[0] for v in VIEWS])
def test_each_view_for_each_role(client, crisis, personas, name, method, url, allowed, status, data):
    target = url(crisis)
    anonymous = getattr(client, method)(target, data)
    assert anonymous.status_code == 302 and "/compte/connexion/" in anonymous["Location"]
    for persona, user in personas.items():
        client.force_login(user)
        response = getattr(client, method)(target, data)
        expected = status if persona in allowed else 403
        assert response.status_code == expected, (name, persona, response.status_code)
        client.logout()


def test_the_banner_is_on_every_page_until_the_crisis_is_closed(client, crisis, personas):
    client.force_login(personas["direction"])
    page = client.get(reverse("notifications:list")).content.decode()
    assert "Crise en cours" in page and reverse("crisis:room", args=[crisis.pk]) in page
    actions.close(crisis, by=personas["direction"], what_happened="a", what_worked="b", to_change="c")
    assert "Crise en cours" not in client.get(reverse("notifications:list")).content.decode()


def test_a_refused_decision_is_said_in_french(client, crisis, personas):
    client.force_login(personas["direction"])
    response = client.post(reverse("crisis:close", args=[crisis.pk]), {"what_happened": "x"}, follow=True)
    assert "Ce champ est obligatoire." in response.content.decode()
    assert Crisis.objects.get(pk=crisis.pk).status == Crisis.Status.OPEN


def test_the_room_shows_what_triggered_it_and_its_messages(client, crisis, personas):
    client.force_login(personas["community_manager"])
    page = client.get(reverse("crisis:room", args=[crisis.pk])).content.decode()
    assert "Attaque visant Nadia Benali" in page and "Propos injurieux" in page
    assert "Traiter dans la boîte de réception" in page
    assert "Enregistrer la stratégie" not in page  # community managers see and act on messages, not decide


def test_the_admin_changes_thresholds_tries_them_and_sets_the_webhook(client, crisis, personas):
    client.force_login(personas["admin"])
    values = {**detection.Thresholds().as_dict(), "staff_min_attacks": 5, "webhook_url": "https://chat.example/hook",
              "webhook_secret": ""}  # fmt: skip
    tried = client.post(reverse("crisis:settings"), {**values, "action": "essai"}).content.decode()
    assert "<strong>0 alerte</strong>" in tried
    assert CrisisSettings.load().values().staff_min_attacks == 1  # a try changes nothing
    client.post(reverse("crisis:settings"), {**values, "webhook_secret": "abc", "action": "enregistrer"})
    config = CrisisSettings.load()
    assert config.values().staff_min_attacks == 5 and config.webhook_secret == "abc"
    assert config.webhook_url == "https://chat.example/hook"
    page = client.get(reverse("crisis:settings")).content.decode()
    assert "abc" not in page and "Un secret de webhook est enregistré" in page
    event = AuditEvent.objects.get(verb="crisis.settings")
    assert "abc" not in str(event.after) and event.after["secret_changed"] is True
    bad = client.post(reverse("crisis:settings"), {**values, "min_negative_share": 3, "action": "enregistrer"})
    assert bad.status_code == 200 and "inférieure ou égale à 1" in bad.content.decode()


def test_with_several_crises_the_banner_shows_the_most_pressing_in_full_and_names_the_others(client, personas):
    from datetime import timedelta

    from django.utils import timezone

    from vigie.crisis.models import Crisis

    now = timezone.now()
    made = {}
    for minutes, signal, status in [(30, "volume_surge", "escalated"), (10, "disinformation", "open"),
                                    (5, "staff_attack", "open"), (1, "volume_surge", "closed")]:  # fmt: skip
        at = now - timedelta(minutes=minutes)
        made[signal, status] = Crisis.objects.create(signal=signal, status=status, platform="facebook",
                                                     explanation=f"{signal} {status}", started_at=at,
                                                     detected_at=at, last_message_at=at)  # fmt: skip
    client.force_login(personas["direction"])
    page = client.get("/boite/").content.decode()
    banner = page[page.index('class="crisis-banner"') : page.index("</aside>")]
    assert banner.count("Ouvrir la cellule de crise") == 1
    assert "Crise en cours (escaladée) : Vague de messages négatifs" in banner  # escalated first
    also = banner[banner.index("Aussi en cours") :]
    assert also.index("Attaque contre un membre") < also.index("Fausse information")  # then the newest
    assert "volume_surge closed" not in banner
