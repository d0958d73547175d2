"""Every view, for every role and for an anonymous visitor."""

import pytest
from django.urls import reverse
from django.utils import timezone

from vigie.accounts.roles import CAPABILITIES, ROLES, can
from vigie.api import tokens
from vigie.inbox.evidence import capture
from vigie.inbox.models import Message
from vigie.ingestion.models import RawEvent
from vigie.moderation.models import PlatformAction
from vigie.rounds.models import Round

pytestmark = pytest.mark.django_db

ALL = set(ROLES)
DESK = {"community_manager", "communication", "admin"}
MODERATORS = {"community_manager", "admin"}
APPROVERS = {"communication", "direction", "admin"}
ADMIN = {"admin"}

# (name, method, url builder, roles allowed, success status)
VIEWS = [
    ("inbox", "get", lambda ctx: reverse("inbox:list"), ALL, 200),
    ("thread", "get", lambda ctx: reverse("inbox:thread", args=[ctx["thread"].pk]), ALL, 200),
    ("posts", "get", lambda ctx: reverse("inbox:posts"), ALL, 200),
    ("item", "get", lambda ctx: reverse("inbox:item", args=[ctx["item"].pk]), ALL, 200),
    ("fresh", "get", lambda ctx: reverse("inbox:fresh") + "?depuis=0", ALL, 200),
    ("assign", "post", lambda ctx: reverse("inbox:assign", args=[ctx["item"].pk]), DESK, 302),
    ("status", "post", lambda ctx: reverse("inbox:status", args=[ctx["item"].pk]), DESK, 302),
    ("note", "post", lambda ctx: reverse("inbox:note", args=[ctx["item"].pk]), ALL, 302),
    ("bulk", "post", lambda ctx: reverse("inbox:bulk"), DESK, 302),
    ("reply", "post", lambda ctx: reverse("inbox:reply", args=[ctx["thread"].pk]), DESK, 302),
    ("moderate", "post", lambda ctx: reverse("inbox:moderate", args=[ctx["message"].pk]), MODERATORS, 302),
    (
        "capture-evidence",
        "post",
        lambda ctx: reverse("inbox:capture_evidence", args=[ctx["message"].pk]),
        MODERATORS,
        302,
    ),
    ("cancel-action", "post", lambda ctx: reverse("inbox:cancel_action", args=[ctx["action"].pk]), MODERATORS, 302),
    ("item-live", "get", lambda ctx: reverse("inbox:item_live", args=[ctx["item"].pk]), ALL, 200),
    ("approvals", "get", lambda ctx: reverse("inbox:approvals"), APPROVERS, 200),
    ("approve", "post", lambda ctx: reverse("inbox:approve", args=[ctx["reply"].pk]), APPROVERS, 302),
    ("reject", "post", lambda ctx: reverse("inbox:reject", args=[ctx["reply"].pk]), APPROVERS, 302),
    ("evidence", "get", lambda ctx: reverse("evidence", args=[ctx["evidence"].pk]), ALL, 200),
    ("audit", "get", lambda ctx: reverse("audit:list"), {"direction", "admin"}, 200),
    ("audit-csv", "get", lambda ctx: reverse("audit:export"), {"direction", "admin"}, 200),
    ("failed-events", "get", lambda ctx: reverse("ingestion:failed"), {"admin"}, 200),
    ("retry", "post", lambda ctx: reverse("ingestion:retry", args=[ctx["raw"].pk]), {"admin"}, 302),
    ("outbox", "get", lambda ctx: reverse("moderation:outbox"), {"admin"}, 200),
    ("outbox-retry", "post", lambda ctx: reverse("moderation:retry", args=[ctx["action"].pk]), {"admin"}, 302),
    ("channels", "get", lambda ctx: reverse("ingestion:channels"), {"admin"}, 200),
    ("channel-connect", "post", lambda ctx: reverse("ingestion:channel-connect"), {"admin"}, 302),
    (
        "channel-disconnect",
        "post",
        lambda ctx: reverse("ingestion:channel-disconnect", args=[ctx["message"].channel_id]),
        {"admin"},
        302,
    ),
    (
        "channel-poll",
        "post",
        lambda ctx: reverse("ingestion:channel-poll", args=[ctx["message"].channel_id]),
        {"admin"},
        302,
    ),
    ("authorize-start", "post", lambda ctx: reverse("ingestion:authorize-start", args=["linkedin"]), ADMIN, 302),
    ("authorize-callback", "get", lambda ctx: reverse("ingestion:authorize-callback", args=["facebook"]), ADMIN, 302),
    ("authorize-choose", "post", lambda ctx: reverse("ingestion:authorize-choose", args=["facebook"]), ADMIN, 302),
    ("rules", "get", lambda ctx: reverse("policy:list"), {"admin"}, 200),
    ("rule-new", "get", lambda ctx: reverse("policy:new"), {"admin"}, 200),
    ("api-docs", "get", lambda ctx: reverse("api-docs"), ADMIN, 200),
    ("api-tokens", "get", lambda ctx: reverse("api-tokens:list"), ADMIN, 200),
    ("api-token-revoke", "post", lambda ctx: reverse("api-tokens:revoke", args=[ctx["api_token"].pk]), ADMIN, 302),
    ("notifications", "get", lambda ctx: reverse("notifications:list"), ALL, 200),
    ("rounds", "get", lambda ctx: reverse("rounds:list"), ALL, 200),
    ("rounds-csv", "get", lambda ctx: reverse("rounds:export"), ALL, 200),
    ("round-start", "post", lambda ctx: reverse("rounds:start", args=["morning"]), DESK, 302),
    # refused (an item left open without a reason): the page comes back with the form as it was written
    ("round-sign", "post", lambda ctx: reverse("rounds:sign", args=[ctx["round"].pk]), DESK, 200),
    ("clock-settings", "get", lambda ctx: reverse("rounds:settings"), ADMIN, 200),
    ("clock-settings-save", "post", lambda ctx: reverse("rounds:settings"), ADMIN, 200),
    ("notifications-read", "post", lambda ctx: reverse("notifications:mark_all_read"), ALL, 302),
    ("notifications-prefs", "post", lambda ctx: reverse("notifications:preferences"), ALL, 302),
    ("indicators", "get", lambda ctx: reverse("indicators:page"), ALL, 200),
    ("indicators-csv", "get", lambda ctx: reverse("indicators:export", args=["labels"]), ALL, 200),
]
POST_DATA = {
    "status": {"status": "in_progress"},
    "bulk": {"status": "in_progress"},
    "note": {"text": "Vu"},
    "reply": {"text": "Bonjour"},
    "moderate": {"verb": "hide"},
    "approve": {"text": "Texte revu"},
    "reject": {"reason": "Non"},
    "channel-connect": {"platform": "youtube", "external_id": "UC" + "a" * 22, "name": "Chaîne", "token": "ya29.x"},
}


@pytest.fixture
def ctx(ingest, personas):
    message = ingest(1)
    raw = RawEvent.objects.create(source="import", body="{}", body_sha256="x", status="failed", error="JSON")
    action = PlatformAction.objects.create(
        channel=message.channel, verb="hide", target_message=message, dedup_key="hide:1", status="failed"
    )
    evidence = capture(message)
    reply = Message.objects.create(
        thread=message.thread, channel=message.channel, kind="reply", text="À revoir", created_at=message.created_at,
        delivery=Message.Delivery.AWAITING_APPROVAL,
    )  # fmt: skip
    api_token, _ = tokens.issue(personas["community_manager"])
    now = timezone.now()
    started = Round.objects.create(day=now.date(), slot="noon", window_start=now, window_end=now, status="started")
    return {
        "round": started,
        "api_token": api_token,
        "reply": reply,
        "thread": message.thread,
        "item": message.item,
        "message": message,
        "raw": raw,
        "action": action,
        "evidence": evidence,
    }


def _call(client, method, url, name):
    return getattr(client, method)(url, POST_DATA.get(name, {}))


@pytest.mark.parametrize(("name", "method", "url", "allowed", "ok"), VIEWS, ids=[v[0] for v in VIEWS])
@pytest.mark.parametrize("role", [*ROLES, "outsider"])
def test_each_view_answers_each_role(client, personas, ctx, role, name, method, url, allowed, ok):
    client.force_login(personas[role])
    response = _call(client, method, url(ctx), name)
    assert response.status_code == (ok if role in allowed else 403)


@pytest.mark.parametrize(("name", "method", "url", "allowed", "ok"), VIEWS, ids=[v[0] for v in VIEWS])
def test_anonymous_visitors_are_sent_to_the_login_page(client, ctx, name, method, url, allowed, ok):
    response = _call(client, method, url(ctx), name)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_a_superuser_can_do_everything(django_user_model):
    boss = django_user_model.objects.create_superuser("boss", "b@example.org", "x")
    assert all(can(boss, capability) for capability in CAPABILITIES)


def test_an_inactive_user_can_do_nothing(personas):
    user = personas["admin"]
    user.is_active = False
    assert not any(can(user, capability) for capability in CAPABILITIES)


def test_a_forbidden_post_changes_nothing(client, personas, ctx):
    client.force_login(personas["direction"])
    client.post(reverse("inbox:status", args=[ctx["thread"].pk]), {"status": "done"})
    ctx["thread"].refresh_from_db()
    assert ctx["thread"].status == "new"


def test_the_navigation_only_shows_what_the_role_may_open(client, personas):
    client.force_login(personas["community_manager"])
    page = client.get(reverse("inbox:list")).content.decode()
    assert "Journal d'audit" not in page and "Collecte" not in page
    client.force_login(personas["admin"])
    page = client.get(reverse("inbox:list")).content.decode()
    assert "Journal d'audit" in page and "Collecte" in page
