"""A planned post and its real post; its prepared messages first among the replies on that thread."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.urls import reverse

from vigie.audit.models import AuditEvent
from vigie.connectors.base import NormalizedPost
from vigie.inbox import reply_suggestions
from vigie.planning import matching, sync
from vigie.planning.models import PlannedPost
from vigie.planning.tests.conftest import values
from vigie.replies.defaults import install as install_templates

pytestmark = pytest.mark.django_db

PERMALINK = "https://www.facebook.com/104857600123456/posts/713118457209331"
NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


def real_post(ingest, n=1, text="Journée portes ouvertes à Paris samedi : rencontrez les formateurs", **post):
    fields = {"external_id": f"104857600123456_71311845720933{n}", "text": text, "permalink": PERMALINK,
              "published_at": datetime(2026, 11, 28, 9, 2, tzinfo=UTC)} | post  # fmt: skip
    return ingest(n, author_name="Jeanne Dupont", post=NormalizedPost(**fields), thread_external_id=f"t{n}")


@pytest.fixture
def now():
    with time_machine.travel(NOW, tick=False):
        yield


def test_the_link_column_matches_the_post(board, fake_monday, monday_board, ingest, now):
    message = real_post(ingest)
    link = PERMALINK.replace("https://www.", "http://") + "/"  # written by hand on the board
    fake_monday.add_item(monday_board, "Portes ouvertes", values(day="2026-11-28", status=1, link=link))
    sync.sync(board)
    planned = PlannedPost.objects.get()
    assert planned.post == message.thread.post and planned.match == "link"
    assert AuditEvent.objects.filter(verb="planned_post.linked", actor_label="monday.com").exists()


def test_without_a_link_a_close_similar_post_is_suggested_not_linked(board, fake_monday, monday_board, ingest, now):
    message = real_post(ingest, permalink="")
    real_post(ingest, 2, text="Webinaire hypnose : inscrivez-vous", permalink="")  # same day, other words
    subject = "Portes ouvertes, rencontre des formateurs"
    fake_monday.add_item(monday_board, "Journée portes ouvertes Paris", values(day="2026-11-28", subject=subject))
    sync.sync(board)
    planned = PlannedPost.objects.get()
    assert planned.post is None and planned.suggested_post == message.thread.post and planned.match == "suggested"


def test_nothing_is_suggested_for_another_platform_or_far_in_time(board, fake_monday, monday_board, ingest, now):
    real_post(ingest, permalink="")
    fake_monday.add_item(monday_board, "Journée portes ouvertes Paris", values(day="2026-11-28", platforms=(2,)))
    fake_monday.add_item(monday_board, "Journée portes ouvertes Paris", values(day="2026-11-20", platforms=(1,)))
    sync.sync(board)
    assert not PlannedPost.objects.exclude(suggested_post=None).exists()


def test_similarity_counts_the_planned_words_found():
    assert matching.similarity("Portes ouvertes Paris", "JOURNÉE PORTES OUVERTES – PARIS") == 1.0
    assert matching.similarity("Webinaire", "Portes ouvertes") == 0.0


@pytest.fixture
def planned_thread(board, fake_monday, monday_board, ingest, now):
    message = real_post(ingest)
    prepared = "Bonjour {prenom}, l'entrée est libre, à samedi !\n\nMerci {prenom} : tout est sur {sujet}."
    item = values(day="2026-11-28", status=1, link=PERMALINK, subject="Journée portes ouvertes", messages=prepared)
    fake_monday.add_item(monday_board, "Portes ouvertes", item)
    sync.sync(board)
    return message


def test_the_prepared_messages_come_first_filled_for_the_person(planned_thread):
    install_templates()
    offers = reply_suggestions.for_message(planned_thread, "facebook", ["Bonjour {prenom} !"], {"sujet": "x"})
    assert offers[0].prepared and offers[0].text == "Bonjour Jeanne !"
    assert all(not o.prepared for o in offers[1:]) and len(offers) > 1


def test_the_item_page_shows_the_planned_post_and_its_messages_first(client, personas, planned_thread):
    install_templates()
    client.force_login(personas["community_manager"])
    page = client.get(reverse("inbox:item", args=[planned_thread.item_id])).content.decode()
    assert "Publication du planning : <strong>Portes ouvertes</strong>" in page
    assert "2 messages préparés, proposés en premier" in page
    options = page.split('id="id_template"')[1].split("</select>")[0]
    first, second = options.split("<option")[2:4]
    assert 'data-prepared="1"' in first and "Bonjour Jeanne, l&#x27;entrée est libre, à samedi !" in first
    assert 'data-prepared="1"' in second and "tout est sur Journée portes ouvertes" in second
    assert options.count('data-prepared="1"') == 2 and "★ Message préparé" in options


def test_a_thread_whose_post_is_not_planned_gets_the_templates_only(client, personas, ingest):
    install_templates()
    message = ingest(1)
    client.force_login(personas["community_manager"])
    page = client.get(reverse("inbox:item", args=[message.item_id])).content.decode()
    assert "Publication du planning" not in page and 'data-prepared="1"' not in page
