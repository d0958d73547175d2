"""The monthly quality check: a stratified random sample, a blind review, a score per label, deviations."""

import random
from collections import Counter
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from vigie.audit.models import AuditEvent
from vigie.inbox.errors import ActionError
from vigie.records import quality

PARIS = ZoneInfo("Europe/Paris")


def test_allocation_is_proportional_with_one_per_label_present():
    shares = quality.allocate({"question": 600, "positive_neutral": 300, "spam": 90, "abuse": 10, "conflict": 0}, 30)
    assert sum(shares.values()) == 30
    assert shares == {"question": 18, "positive_neutral": 9, "spam": 2, "abuse": 1}


def test_a_rare_label_gets_one_even_below_its_proportional_share():
    shares = quality.allocate({"question": 997, "abuse": 1, "spam": 2}, 10)
    assert shares["abuse"] == 1 and shares["spam"] == 1 and sum(shares.values()) == 10


def test_a_small_month_is_taken_whole():
    assert quality.allocate({"question": 3, "spam": 2}, 30) == {"question": 3, "spam": 2}


def test_more_labels_than_places_never_exceeds_the_size():
    counts = {label: 100 for label in ("a", "b", "c", "d", "e")}
    assert sum(quality.allocate(counts, 3).values()) == 3


def test_the_draw_is_random_shuffled_and_within_each_label():
    ids = {"question": list(range(100)), "spam": list(range(100, 120))}
    first = quality.draw(ids, 12, random.Random(1))
    second = quality.draw(ids, 12, random.Random(2))
    assert Counter(label for label, _ in first) == {"question": 10, "spam": 2}
    assert all((pk < 100) == (label == "question") for label, pk in first)
    assert first != second and len({pk for _, pk in first}) == 12


@pytest.fixture
def month_items(labelled):
    """November 2026 in Paris: 20 questions, 8 spams, 2 abuses; one just before and one just after."""
    made = []
    n = 0
    for label, count in (("question", 20), ("spam", 8), ("abuse", 2)):
        for _ in range(count):
            n += 1
            made.append(labelled(n, label, created_at=datetime(2026, 11, 1 + n % 28, 10, tzinfo=PARIS)))
    labelled(900, "question", created_at=datetime(2026, 10, 31, 23, 59, tzinfo=PARIS))
    labelled(901, "question", created_at=datetime(2026, 12, 1, 0, 0, tzinfo=PARIS))
    return made


@pytest.mark.django_db
def test_the_month_is_counted_in_paris_time(month_items):
    found = quality.candidates(date(2026, 11, 1))
    assert {label: len(ids) for label, ids in found.items()} == {"question": 20, "spam": 8, "abuse": 2}


@pytest.mark.django_db
def test_a_check_draws_the_sample_and_records_what_the_desk_did(month_items, personas):
    from vigie.inbox import actions

    spam = month_items[20]
    actions.moderate(spam, "delete", by=personas["community_manager"])
    check = quality.draw_check(date(2026, 11, 15), by=personas["communication"], size=10, seed=3)
    samples = list(check.samples.all())
    assert check.month == date(2026, 11, 1) and len(samples) == 10
    assert Counter(s.label for s in samples) == {"question": 7, "spam": 2, "abuse": 1}  # 6.7, 2.7 and 0.7 exactly
    assert AuditEvent.objects.filter(verb="quality.drawn").count() == 1
    whole = quality.draw_check(date(2026, 11, 1), by=personas["communication"], size=30, seed=3)
    assert whole.samples.count() == 30
    assert "supprimé" in whole.samples.get(item=spam.item).actions_taken
    assert whole.samples.exclude(item=spam.item).filter(actions_taken__contains="supprimé").count() == 0


@pytest.mark.django_db
def test_an_empty_month_says_so(personas):
    with pytest.raises(ActionError, match="Aucun message classé en 01/2020"):
        quality.draw_check(date(2020, 1, 1), by=personas["admin"])


@pytest.mark.django_db
def test_the_review_gives_a_score_per_label_and_the_deviations(month_items, personas):
    reviewer = personas["communication"]
    check = quality.draw_check(date(2026, 11, 1), by=personas["direction"], size=10, seed=5)
    samples = list(check.samples.all())
    wrong = next(s for s in samples if s.label == "spam")
    for sample in samples:
        if sample == wrong:
            quality.review(sample, by=reviewer, label="abuse", action_ok=False, time_ok=True, comment="injure")
        else:
            quality.review(sample, by=reviewer, label=sample.label, action_ok=True, time_ok=True)
    check.refresh_from_db()
    assert check.completed_at is not None and check.reviewer == reviewer
    scores = quality.scores(check)
    assert scores["spam"] == {"name": "Spam ou publicité", "reviewed": 2, "conform": 1, "score": 50}
    assert scores["question"]["score"] == 100
    [deviation] = quality.deviations(check)
    assert deviation == wrong and deviation.deviations == [
        "étiquette : Spam ou publicité au lieu de Propos injurieux",
        "action inadaptée",
    ]
    event = AuditEvent.objects.get(verb="quality.completed")
    assert event.actor == reviewer and event.after["spam"]["score"] == 50
    with pytest.raises(ActionError, match="terminé"):
        quality.review(wrong, by=reviewer, label="spam", action_ok=True, time_ok=True)


@pytest.mark.django_db
def test_a_second_person_cannot_take_over_a_review(month_items, personas):
    check = quality.draw_check(date(2026, 11, 1), by=personas["direction"], size=3, seed=1)
    first, second, _ = check.samples.all()
    quality.review(first, by=personas["communication"], label="question", action_ok=True, time_ok=True)
    with pytest.raises(ActionError, match="relu par communication"):
        quality.review(second, by=personas["direction"], label="question", action_ok=True, time_ok=True)


@pytest.mark.django_db
def test_the_review_page_is_blind_until_the_end(client, month_items, personas):
    check = quality.draw_check(date(2026, 11, 1), by=personas["direction"], size=3, seed=2)
    client.force_login(personas["communication"])
    url = reverse("records:quality_check", args=[check.pk])
    page = client.get(url).content.decode()
    pending = check.samples.first()
    assert "Message 1 sur 3" in page and pending.item.message.text in page
    assert 'id="scores"' not in page
    for name in ("Spam ou publicité", "Propos injurieux"):  # the desk's label is not shown, only the choices
        assert page.count(name) == 1
    for sample in check.samples.all():
        client.post(
            reverse("records:quality_review", args=[sample.pk]),
            {"label": sample.label, "action_ok": "1", "time_ok": "0"},
        )
    page = client.get(url).content.decode()
    assert 'id="scores"' in page and "délai de réponse non tenu" in page and "0 %" in page


@pytest.mark.django_db
def test_a_review_without_an_answer_is_refused_in_french(client, month_items, personas):
    check = quality.draw_check(date(2026, 11, 1), by=personas["direction"], size=2, seed=2)
    client.force_login(personas["communication"])
    response = client.post(
        reverse("records:quality_review", args=[check.samples.first().pk]), {"label": ""}, follow=True
    )
    assert "Répondez aux trois questions" in response.content.decode()
    assert not check.samples.filter(reviewed_at__isnull=False).exists()
