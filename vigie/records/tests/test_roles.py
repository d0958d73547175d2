"""Every view of the tracking tables, the control plan and personal data, for every role and for an
anonymous visitor."""

from datetime import date

import pytest
from django.urls import reverse

from vigie.accounts.roles import ROLES
from vigie.records import quality, registers
from vigie.records.models import ImprovementAction, LegalHold, RetentionPolicy

pytestmark = pytest.mark.django_db

ALL = set(ROLES)
KEEPERS = {"community_manager", "communication", "admin"}
PLAN = {"communication", "direction", "admin"}
MODERATORS = {"community_manager", "admin"}
ADMIN = {"admin"}

VIEWS = [
    ("overview", "get", lambda c: reverse("records:overview"), ALL, 200),
    ("complaints", "get", lambda c: reverse("records:complaints"), ALL, 200),
    ("complaints-csv", "get", lambda c: reverse("records:complaints_export"), ALL, 200),
    ("complaint", "get", lambda c: reverse("records:complaint", args=[c["complaint"].pk]), ALL, 200),
    ("complaint-edit", "post", lambda c: reverse("records:complaint", args=[c["complaint"].pk]), KEEPERS, 302),
    ("complaint-log", "post", lambda c: reverse("records:complaint_log", args=[c["message"].pk]), KEEPERS, 302),
    ("moderation", "get", lambda c: reverse("records:moderation"), ALL, 200),
    ("moderation-csv", "get", lambda c: reverse("records:moderation_export"), ALL, 200),
    ("report", "post", lambda c: reverse("records:report", args=[c["message"].pk]), MODERATORS, 302),
    ("crises", "get", lambda c: reverse("records:crises"), ALL, 200),
    ("crises-csv", "get", lambda c: reverse("records:crises_export"), ALL, 200),
    ("quality", "get", lambda c: reverse("records:quality"), ALL, 200),
    ("quality-draw", "post", lambda c: reverse("records:quality_draw"), PLAN, 302),
    ("quality-check", "get", lambda c: reverse("records:quality_check", args=[c["check"].pk]), ALL, 200),
    ("quality-review", "post", lambda c: reverse("records:quality_review", args=[c["sample"].pk]), PLAN, 302),
    ("improvements", "get", lambda c: reverse("records:improvements"), ALL, 200),
    ("improvement-new", "post", lambda c: reverse("records:improvement_new"), PLAN, 302),
    ("improvement", "get", lambda c: reverse("records:improvement", args=[c["action"].pk]), ALL, 200),
    ("improvement-edit", "post", lambda c: reverse("records:improvement", args=[c["action"].pk]), PLAN, 302),
    ("privacy", "get", lambda c: reverse("records:privacy"), ADMIN, 200),
    ("retention-policy", "post", lambda c: reverse("records:retention_policy", args=[c["policy"].pk]), ADMIN, 302),
    ("retention-run", "post", lambda c: reverse("records:retention_run"), ADMIN, 302),
    ("person", "get", lambda c: reverse("records:person", args=[c["message"].author_id]), ADMIN, 200),
    (
        "person-json",
        "get",
        lambda c: reverse("records:person_export", args=[c["message"].author_id, "json"]),
        ADMIN,
        200,
    ),
    ("person-erase", "post", lambda c: reverse("records:person_erase", args=[c["message"].author_id]), ADMIN, 302),
    ("person-hold", "post", lambda c: reverse("records:person_hold", args=[c["message"].author_id]), ADMIN, 302),
    ("hold-release", "post", lambda c: reverse("records:hold_release", args=[c["hold"].pk]), ADMIN, 302),
    ("processing", "get", lambda c: reverse("records:processing"), ADMIN, 200),
]
POST_DATA = {
    "complaint-edit": {"subject": "Objet", "answer": "", "outcome": "open", "improvement": ""},
    "quality-draw": {"month": "2026-11", "size": "5"},
    "quality-review": {"label": "question", "action_ok": "1", "time_ok": "1"},
    "improvement-edit": {"status": "in_progress", "evidence": "", "due_on": "2026-12-20"},
    "retention-policy": {"days": "400", "justification": "Test"},
    "person-erase": {"confirm": "EFFACER"},
    "person-hold": {"reason": "Plainte"},
}


@pytest.fixture
def ctx(labelled, personas):
    message = labelled(1, "question")
    labelled(2, "spam")
    complaint = registers.log_complaint(labelled(3, "criticism"), by=personas["community_manager"])
    check = quality.draw_check(date(2026, 11, 1), by=personas["direction"], size=2, seed=1)
    action = ImprovementAction.objects.create(title="Revoir", owner=personas["communication"], due_on=date(2026, 12, 1))
    hold = LegalHold.objects.create(author=message.author, reason="Litige", created_by=personas["admin"])
    return {
        "hold": hold,
        "message": message,
        "complaint": complaint,
        "check": check,
        "sample": check.samples.first(),
        "action": action,
        "policy": RetentionPolicy.objects.get(kind="messages"),
    }


def _data(name, ctx, personas):
    if name == "improvement-new":
        return {"title": "Faire", "owner": personas["communication"].pk, "due_on": "2026-12-20", "origin": "other"}
    return POST_DATA.get(name, {})


@pytest.mark.parametrize(("name", "method", "url", "allowed", "ok"), VIEWS, ids=[v[0] for v in VIEWS])
@pytest.mark.parametrize("role", [*ROLES, "outsider"])
def test_each_view_answers_each_role(client, personas, ctx, role, name, method, url, allowed, ok):
    client.force_login(personas[role])
    response = getattr(client, method)(url(ctx), _data(name, ctx, personas))
    assert response.status_code == (ok if role in allowed else 403)


@pytest.mark.parametrize(("name", "method", "url", "allowed", "ok"), VIEWS, ids=[v[0] for v in VIEWS])
def test_anonymous_visitors_are_sent_to_the_login_page(client, ctx, name, method, url, allowed, ok):
    response = getattr(client, method)(url(ctx))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_a_forbidden_post_changes_nothing(client, personas, ctx):
    client.force_login(personas["direction"])
    client.post(
        reverse("records:complaint", args=[ctx["complaint"].pk]), POST_DATA["complaint-edit"] | {"subject": "Changé"}
    )
    ctx["complaint"].refresh_from_db()
    assert ctx["complaint"].subject != "Changé"


def test_the_menu_shows_the_pages_each_role_may_open(client, personas):
    client.force_login(personas["community_manager"])
    page = client.get(reverse("records:overview")).content.decode()
    assert 'href="/suivi/"' in page and 'href="/procedure/"' in page and "Données personnelles" not in page
    client.force_login(personas["admin"])
    assert "Données personnelles" in client.get(reverse("records:overview")).content.decode()


def test_the_record_of_processing_is_generated_from_the_settings(client, personas):
    policy = RetentionPolicy.objects.get(kind="notifications")
    policy.days = 200
    policy.save()
    client.force_login(personas["admin"])
    page = client.get(reverse("records:processing")).content.decode()
    assert "Notifications</strong> : supprimer après 200 jours" in page
    assert "Community manager</strong> (community-manager)" in page and "masquer, supprimer, bloquer" in page
