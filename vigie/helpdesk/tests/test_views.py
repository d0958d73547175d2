"""The « Tâches » page, an item's follow-up forms and the Freshdesk connection: each role, each view."""

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from vigie.accounts.roles import ROLES
from vigie.audit.models import AuditEvent
from vigie.helpdesk import service
from vigie.helpdesk.models import HelpdeskTicket, Task
from vigie.inbox.models import Item, Message
from vigie.ingestion.models import Channel

pytestmark = pytest.mark.django_db

ALL = set(ROLES)
DESK = {"community_manager", "communication", "admin"}


def due(days=7):
    return (timezone.localdate() + timedelta(days=days)).isoformat()


@pytest.fixture
def ctx(complex_item, personas):
    task = service.create_task(
        complex_item,
        owner=personas["community_manager"],
        due_on=service.default_due(),
        by=personas["community_manager"],
    )
    return {"item": complex_item, "task": task, "owner": personas["communication"].pk}


# (name, method, url, data, roles allowed, success status)
VIEWS = [
    ("tasks", "get", lambda c: reverse("helpdesk:tasks"), lambda c: {}, ALL, 200),
    ("tasks-all", "get", lambda c: reverse("helpdesk:tasks") + "?vue=toutes", lambda c: {}, ALL, 200),
    (
        "create",
        "post",
        lambda c: reverse("helpdesk:create", args=[c["item"].pk]),
        lambda c: {"owner": c["owner"], "due_on": due()},
        DESK,
        302,
    ),
    (
        "complex",
        "post",
        lambda c: reverse("helpdesk:complex-request", args=[c["item"].pk]),
        lambda c: {"owner": c["owner"], "due_on": due(), "text": "Nous revenons vers vous d'ici lundi."},
        DESK,
        302,
    ),
    (
        "close",
        "post",
        lambda c: reverse("helpdesk:close", args=[c["task"].pk]),
        lambda c: {"outcome": "Fait"},
        DESK,
        302,
    ),
    (
        "freshdesk-connect",
        "post",
        lambda c: reverse("helpdesk:freshdesk-connect"),
        lambda c: {
            "domain": "ahtma",
            "api_key": "cle-secrete-123",
            "webhook_secret": "une phrase secrete assez longue",
        },
        {"admin"},
        302,
    ),
    ("freshdesk-disconnect", "post", lambda c: reverse("helpdesk:freshdesk-disconnect"), lambda c: {}, {"admin"}, 302),
]


@pytest.mark.parametrize(("name", "method", "url", "data", "allowed", "ok"), VIEWS, ids=[v[0] for v in VIEWS])
@pytest.mark.parametrize("role", [*ROLES, "outsider"])
def test_each_view_answers_each_role(client, personas, ctx, role, name, method, url, data, allowed, ok):
    client.force_login(personas[role])
    response = getattr(client, method)(url(ctx), data(ctx))
    assert response.status_code == (ok if role in allowed else 403)


@pytest.mark.parametrize(("name", "method", "url", "data", "allowed", "ok"), VIEWS, ids=[v[0] for v in VIEWS])
def test_anonymous_visitors_are_sent_to_the_login_page(client, ctx, name, method, url, data, allowed, ok):
    response = getattr(client, method)(url(ctx), data(ctx))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_a_forbidden_close_changes_nothing(client, personas, ctx):
    client.force_login(personas["direction"])
    client.post(reverse("helpdesk:close", args=[ctx["task"].pk]), {"outcome": "Fait"})
    ctx["task"].refresh_from_db()
    assert ctx["task"].status == Task.Status.OPEN


def test_the_tasks_page_lists_overdue_tasks_first(client, cm, ingest, complex_item):
    later = service.create_task(
        complex_item, owner=cm, due_on=timezone.localdate() + timedelta(days=9), by=cm, title="Point sur la VAE"
    )
    other = ingest(2, kind="private_message", post=None, thread_external_id="t_2", external_id="m_2").item
    late = service.create_task(
        other, owner=cm, due_on=timezone.localdate() + timedelta(days=1), by=cm, title="Point sur le remboursement"
    )
    Task.objects.filter(pk=late.pk).update(due_on=timezone.localdate() - timedelta(days=2))
    client.force_login(cm)
    page = client.get(reverse("helpdesk:tasks")).content.decode()
    assert page.index("Point sur le remboursement") < page.index("Point sur la VAE")
    assert "En retard" in page and later.title in page


def test_each_task_on_the_tasks_page_says_what_was_asked_and_is_named_after_its_author(client, cm, complex_item):
    service.create_task(complex_item, owner=cm, due_on=service.default_due(), by=cm)
    client.force_login(cm)
    page = client.get(reverse("helpdesk:tasks")).content.decode()
    assert "Faire le point en interne : Chloé Rousseau (Facebook)" in page
    assert '<p class="task-asked">« Bonjour, je voudrais faire valider mes acquis (VAE)' in page
    item_page = client.get(reverse("inbox:item", args=[complex_item.pk])).content.decode()
    assert 'class="task-asked"' not in item_page  # the message is right above it there


def test_my_tasks_are_mine_and_all_tasks_are_everyones(client, personas, complex_item):
    cm, officer = personas["community_manager"], personas["communication"]
    service.create_task(complex_item, owner=officer, due_on=service.default_due(), by=cm, title="Pour Sophie")
    client.force_login(cm)
    assert "Pour Sophie" not in client.get(reverse("helpdesk:tasks")).content.decode()
    assert "Pour Sophie" in client.get(reverse("helpdesk:tasks") + "?vue=toutes").content.decode()
    client.force_login(personas["direction"])  # the direction does not own tasks: it sees them all
    assert "Pour Sophie" in client.get(reverse("helpdesk:tasks")).content.decode()


def test_a_complex_request_from_the_item_page(client, cm, complex_item):
    client.force_login(cm)
    page = client.get(reverse("inbox:item", args=[complex_item.pk])).content.decode()
    assert "Demande complexe : réponse d'attente et point interne" in page
    assert "d&#x27;ici le" in page  # the holding reply, ready, states the delay
    assert "Freshdesk n'est pas connecté" in page
    response = client.post(
        reverse("helpdesk:complex-request", args=[complex_item.pk]),
        {"owner": cm.pk, "due_on": due(), "text": "Bonjour Chloé, nous revenons vers vous."},
    )
    assert response.status_code == 302 and response.url.endswith("#suivi")
    assert Message.objects.get(kind="reply").text == "Bonjour Chloé, nous revenons vers vous."
    assert Task.objects.get().item == complex_item


def test_once_messengers_window_is_shut_only_the_internal_review_is_offered(client, cm, complex_item, time_machine):
    complex_item.message.recommendations.create(action="holding_reply", source="procédure")
    client.force_login(cm)
    url = reverse("inbox:item", args=[complex_item.pk])
    assert "Préparer la réponse d'attente" in client.get(url).content.decode()
    time_machine.move_to(timezone.now() + timedelta(days=8), tick=False)
    page = client.get(url).content.decode()
    assert "Pas de réponse d'attente possible" in page and 'id="complex-form"' not in page
    assert "Préparer la réponse" not in page  # the procedure's proposal has nothing to offer any more
    assert '<details class="new-task" id="tache" open>' in page and 'id="task-form"' in page
    response = client.post(
        reverse("helpdesk:complex-request", args=[complex_item.pk]),
        {"owner": cm.pk, "due_on": due(), "text": "Bonjour Chloé, nous revenons vers vous."},
        follow=True,
    )
    assert "Facebook refuse la réponse" in response.content.decode()
    assert not Task.objects.exists() and not Message.objects.filter(kind="reply").exists()
    Item.objects.filter(pk=complex_item.pk).update(label="question")  # nothing to say about a holding reply there
    page = client.get(reverse("inbox:item", args=[complex_item.pk])).content.decode()
    assert "Pas de réponse d'attente possible" not in page and 'id="complex-form"' not in page
    assert '<details class="new-task" id="tache">' in page


def test_a_holding_reply_with_a_field_left_to_fill_is_refused(client, cm, complex_item):
    client.force_login(cm)
    client.post(
        reverse("helpdesk:complex-request", args=[complex_item.pk]),
        {"owner": cm.pk, "due_on": due(), "text": "Bonjour {prenom}, à bientôt"},
    )
    assert not Task.objects.exists() and not Message.objects.filter(kind="reply").exists()


def test_a_past_due_date_is_refused_with_a_french_message(client, cm, complex_item):
    client.force_login(cm)
    response = client.post(
        reverse("helpdesk:create", args=[complex_item.pk]),
        {"owner": cm.pk, "due_on": (timezone.localdate() - timedelta(days=1)).isoformat()},
        follow=True,
    )
    assert "L&#x27;échéance est déjà passée" in response.content.decode()
    assert not Task.objects.exists()


def test_closing_from_the_item_page_records_the_outcome(client, cm, ctx):
    client.force_login(cm)
    client.post(reverse("helpdesk:close", args=[ctx["task"].pk]), {"outcome": "Dossier transmis", "final_reply": ""})
    ctx["task"].refresh_from_db()
    assert ctx["task"].status == Task.Status.DONE and ctx["task"].outcome == "Dossier transmis"


def test_the_proposed_internal_review_has_a_button(client, cm, deliver):
    message = deliver(1, "Bonjour, je souhaite une VAE et un report de session, pouvez-vous étudier mon dossier ?")
    message.recommendations.create(action="internal_review", source="procédure")
    client.force_login(cm)
    page = client.get(reverse("inbox:item", args=[message.item_id])).content.decode()
    assert 'href="#tache"' in page and "Créer la tâche" in page


def test_an_admin_connects_freshdesk_and_the_key_is_never_shown_back(client, personas):
    client.force_login(personas["admin"])
    response = client.post(
        reverse("helpdesk:freshdesk-connect"),
        {
            "domain": "https://AHTMA.freshdesk.com/",
            "api_key": "cle-tres-secrete-42",
            "webhook_secret": "phrase secrete du webhook 42",
        },
        follow=True,
    )
    channel = Channel.objects.get(platform="freshdesk")
    assert channel.external_id == "ahtma" and channel.status == Channel.Status.CONNECTED
    credentials = json.loads(channel.credentials)
    assert credentials == {"api_key": "cle-tres-secrete-42", "webhook_secret": "phrase secrete du webhook 42"}
    with connection.cursor() as cursor:
        cursor.execute("SELECT credentials FROM ingestion_channel WHERE id = %s", [channel.pk])
        stored = cursor.fetchone()[0]
        assert "cle-tres-secrete-42" not in stored and "phrase secrete" not in stored  # encrypted at rest
    page = response.content.decode()
    assert "cle-tres-secrete-42" not in page and "phrase secrete" not in page and "X-Vigie-Secret" in page
    assert "cle-tres-secrete-42" not in client.get(reverse("ingestion:channels")).content.decode()
    event = AuditEvent.objects.get(verb="helpdesk.connected")
    assert "cle-tres-secrete-42" not in json.dumps(event.after) and "phrase secrete" not in json.dumps(event.after)


def test_a_bad_domain_is_refused_in_french(client, personas):
    client.force_login(personas["admin"])
    response = client.post(
        reverse("helpdesk:freshdesk-connect"),
        {"domain": "ahtma.example.org/x", "api_key": "k", "webhook_secret": "x" * 20},
        follow=True,
    )
    assert "Le domaine ne contient que des lettres" in response.content.decode()
    assert not Channel.objects.filter(platform="freshdesk").exists()


def test_disconnecting_freshdesk_forgets_the_key_and_tasks_go_on(client, personas, freshdesk, complex_item):
    client.force_login(personas["admin"])
    client.post(reverse("helpdesk:freshdesk-disconnect"))
    freshdesk.refresh_from_db()
    assert freshdesk.credentials == "" and freshdesk.status == Channel.Status.DISABLED
    cm = personas["community_manager"]
    task = service.start_complex_request(
        complex_item, text="Nous revenons vers vous.", owner=cm, due_on=service.default_due(), by=cm
    )
    assert not HelpdeskTicket.objects.filter(task=task).exists()


def test_the_channels_page_keeps_freshdesk_apart_from_the_social_channels(client, personas, freshdesk):
    client.force_login(personas["admin"])
    page = client.get(reverse("ingestion:channels")).content.decode()
    assert "ahtma.freshdesk.com" in page and f'id="channel-{freshdesk.pk}"' not in page


def test_the_connection_form_is_folded_away_once_freshdesk_is_connected(client, personas, freshdesk):
    client.force_login(personas["admin"])
    connected = client.get(reverse("ingestion:channels")).content.decode()
    folded = connected.index('<details class="reconnect">')
    assert folded < connected.index('id="freshdesk-form"') < connected.index("</details>", folded)
    Channel.objects.filter(pk=freshdesk.pk).update(status=Channel.Status.TO_RECONNECT)
    to_reconnect = client.get(reverse("ingestion:channels")).content.decode()
    assert 'id="freshdesk-form"' in to_reconnect and 'class="reconnect"' not in to_reconnect
    freshdesk.delete()
    never = client.get(reverse("ingestion:channels")).content.decode()
    assert 'id="freshdesk-form"' in never and 'class="reconnect"' not in never and "Connecter Freshdesk" in never


def test_a_short_webhook_secret_is_refused(client, personas):
    client.force_login(personas["admin"])
    response = client.post(
        reverse("helpdesk:freshdesk-connect"),
        {"domain": "ahtma", "api_key": "k", "webhook_secret": "court"},
        follow=True,
    )
    assert "au moins 16 caractères" in response.content.decode()
    assert not Channel.objects.filter(platform="freshdesk").exists()


def test_the_tasks_page_costs_the_same_queries_for_many_tasks(client, cm, ingest, django_assert_max_num_queries):
    def make(n):
        item = ingest(n, kind="private_message", post=None, thread_external_id=f"t_{n}", external_id=f"m_{n}").item
        task = service.create_task(item, owner=cm, due_on=service.default_due(), by=cm)
        if n % 2:
            service.close_task(task, outcome="Fait", by=cm)

    for n in range(1, 4):
        make(n)
    client.force_login(cm)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("helpdesk:tasks"))
    for n in range(4, 16):
        make(n)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("helpdesk:tasks")).content.decode()
    assert page.count('class="task-card') == 15


def test_a_reader_sees_no_empty_follow_up_and_sees_it_once_there_is_a_task(client, personas, complex_item):
    client.force_login(personas["direction"])
    url = reverse("inbox:item", args=[complex_item.pk])
    assert "Suivi de la demande" not in client.get(url).content.decode()
    cm = personas["community_manager"]
    service.create_task(complex_item, owner=cm, due_on=service.default_due(), by=cm, title="Rappeler Chloé")
    page = client.get(url).content.decode()
    assert "Suivi de la demande" in page and "Rappeler Chloé" in page
    client.force_login(cm)
    assert "Suivi de la demande" in client.get(url).content.decode()
