"""The issue's acceptance test: with Facebook failing 30 % of calls at random (server errors, and time-outs
after which Facebook did the work anyway), every planned reply ends done, exactly once on Facebook.

The count is VIGIE_FACEBOOK_ACCEPTANCE_ACTIONS (200 by default; the issue asks for 1,000 once):
    VIGIE_FACEBOOK_ACCEPTANCE_ACTIONS=1000 .venv/bin/pytest -q -p no:xdist -s \\
        vigie/connectors/facebook/tests/test_acceptance.py
"""

import os
import time
from datetime import timedelta

import httpx
import pytest
import time_machine
from django.utils import timezone

from vigie.connectors.facebook import client
from vigie.connectors.facebook.connector import poll_channel
from vigie.inbox import actions
from vigie.inbox.models import Message
from vigie.lib import http
from vigie.moderation import outbox
from vigie.moderation.models import PlatformAction
from vigie.pipeline import processing

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

ACTIONS = int(os.environ.get("VIGIE_FACEBOOK_ACCEPTANCE_ACTIONS", "200"))
TEXT = "Bonjour, merci pour votre message : les dates et tarifs sont sur notre site."


def plan_replies(fake, channel, cm) -> list[str]:
    post = fake.add_post("🌀 Nouveau cycle à Lyon : inscriptions ouvertes")
    comments = [fake.add_comment(post, f"Question n° {n}", f"Personne {n % 97}") for n in range(ACTIONS)]
    for pk in poll_channel(channel.pk):
        processing.process(pk)
    for question in Message.objects.filter(kind="comment").select_related("thread"):
        actions.compose_reply(question.thread, TEXT, by=cm, in_reply_to=question)
    assert PlatformAction.objects.count() == ACTIONS
    return comments


def test_every_planned_reply_is_done_exactly_once_despite_30_percent_failures(fake, channel, cm, monkeypatch):
    comments = plan_replies(fake, channel, cm)
    monkeypatch.setattr(client, "POLICY", http.Policy(attempts=3, base_delay=0.001, timeout=httpx.Timeout(0.1)))
    fake.faults.reseed(2026)
    fake.faults.timeout_rate, fake.faults.timeout_seconds = 0.15, 0.25  # Facebook answers after we gave up…
    fake.faults.error_rate = 0.18  # …or answers 500 (0.15 + 0.85 × 0.18 ≈ 30 % of calls fail)
    started, moment, rounds = time.monotonic(), timezone.now(), 0
    while PlatformAction.objects.exclude(status=PlatformAction.Status.DONE).exists() and rounds < 40:
        rounds += 1
        moment += timedelta(hours=2)  # past every back-off and lease
        with time_machine.travel(moment, tick=True):
            for pk in outbox.due_ids(limit=ACTIONS):
                outbox.run(pk)
            fake.wait_idle()  # what timed out on our side finishes on Facebook's, as it would by the next try
    requests = fake.counts["requests"]
    failed = fake.counts["failed_answers"]
    print(f"\n{ACTIONS} replies: {rounds} rounds, {requests} calls, {failed} failed ({failed / requests:.0%}), "
          f"{PlatformAction.objects.filter(attempts__gt=1).count()} actions needed more than one attempt, "
          f"{time.monotonic() - started:.1f} s")  # fmt: skip
    assert set(PlatformAction.objects.values_list("status", flat=True)) == {PlatformAction.Status.DONE}
    assert fake.replies_created == ACTIONS
    replies = {comment: fake.replies_to(comment) for comment in comments}
    assert all(len(found) == 1 and found[0].message == TEXT for found in replies.values())
    recorded = set(PlatformAction.objects.values_list("platform_result_id", flat=True))
    assert recorded == {found[0].id for found in replies.values()}
    assert failed / requests > 0.2
