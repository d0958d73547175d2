import json
from datetime import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from vigie.audit.models import AuditEvent
from vigie.demo.clock import QUESTIONS, previous_open_day
from vigie.demo.files import DATA
from vigie.demo.history import DEMO_LEFT_OPEN
from vigie.inbox.models import Item, Message
from vigie.ingestion.models import RawEvent

pytestmark = pytest.mark.django_db


def test_the_demo_file_follows_the_import_contract():
    from vigie.connectors.contract import parse_record

    records = [json.loads(line) for line in DATA.read_text().splitlines() if line.strip()]
    assert 150 <= len(records) <= 250
    parsed = [parse_record(r) for r in records]
    assert {m.platform for m in parsed} == {"facebook", "linkedin"}
    assert {m.kind for m in parsed} == {"comment", "private_message"}


def test_the_demo_goes_in_through_the_import_and_stages_a_desk(capsys):
    call_command("demo", "--no-serve")
    out = capsys.readouterr().out
    lines = sum(1 for line in DATA.read_text().splitlines() if line.strip()) + len(QUESTIONS)  # the clock's too
    desk = Message.objects.filter(kind__in=["comment", "private_message"]).exclude(external_id__startswith="hist-")
    assert desk.count() == lines
    history = Message.objects.filter(external_id__startswith="hist-", kind__in=["comment", "private_message"])
    assert 300 <= history.count() <= 800  # four months for the indicators (vigie/demo/history.py)
    assert RawEvent.objects.filter(source="import", status="done").count() == lines + history.count()
    assert Item.objects.exclude(assignee=None).exists()
    from vigie.helpdesk.models import Task

    assert Task.objects.filter(status="done").exists()
    assert not Task.objects.filter(closed_at__gt=timezone.now()).exists()  # nothing is done in the future
    assert Item.objects.filter(status="in_progress").exists()
    # two replies staged on the desk (one from a planned post's prepared message), and the holding replies
    # of the complex requests (vigie/helpdesk/demo.py)
    assert Message.objects.filter(kind="reply", delivery="pending").count() == 2 + 3
    assert AuditEvent.objects.filter(verb="item.assigned").exists()
    from vigie.replies.models import Charter, ReplyTemplate

    assert ReplyTemplate.objects.filter(label="question").exists() and Charter.current() is not None
    from vigie.accounts.models import StaffMember

    assert "Mme Benali" in StaffMember.objects.get(name="Nadia Benali").aliases
    for username in ("admin", "camille", "lucas", "sophie", "nadia"):
        assert username in out
    from django.db.models import F

    from vigie.demo.history import NEIGHBOURS
    from vigie.triage.models import LABELS, UNCERTAIN_BELOW, Classification

    assert set(NEIGHBOURS) == {label for label, _ in LABELS}
    corrected = Classification.objects.exclude(corrected_label="").exclude(corrected_label=F("label"))
    assert corrected.count() >= 5  # « Étiquettes corrigées par les modérateurs » has something to say
    for classification in corrected:  # where the model hesitated, to a label it is confused with
        assert classification.confidence < UNCERTAIN_BELOW
        assert classification.corrected_label in NEIGHBOURS[classification.label]


def test_running_the_demo_twice_adds_nothing():
    call_command("demo", "--no-serve")
    counts = (Message.objects.count(), AuditEvent.objects.count())
    call_command("demo", "--no-serve")
    assert (Message.objects.count(), AuditEvent.objects.count()) == counts


def test_the_demo_connects_the_planning_board_and_answers_with_a_prepared_message():
    from django.utils import timezone

    from vigie.inbox.models import Post
    from vigie.planning.models import Board, PlannedPost

    call_command("demo", "--no-serve")
    board = Board.objects.get()
    assert board.name == "Planning | Réseaux sociaux" and board.status == "connected" and board.token
    planned = PlannedPost.objects.filter(removed_at=None)
    assert planned.filter(publish_at__lt=timezone.now(), published=True).count() >= 10
    assert planned.filter(publish_at__gt=timezone.now()).count() >= 5
    assert planned.filter(match="link").exists() and planned.filter(match="suggested").exists()
    posts = [set(post.text.split()) for post in Post.objects.all()]
    for name in planned.filter(published=True).values_list("name", flat=True):  # a post's title, cut between words
        assert len(name) <= 80 and any(set(name.removesuffix(" …").split()) <= words for words in posts), name
    linked = planned.filter(match="link").exclude(prepared_messages=[]).order_by("sort_at").first()
    reply = Message.objects.get(kind="reply", parent__thread__post=linked.post)
    assert reply.text.startswith("Bonjour ") and "{prenom}" not in reply.text


def test_the_demo_shows_deadlines_in_every_state_and_rounds_done_and_missed():
    from django.utils import timezone

    from vigie.rounds.models import Round

    call_command("demo", "--no-serve")
    now = timezone.now()
    states = {m.sla(now) for m in Message.objects.filter(external_id__startswith="m_demo_")}
    assert states >= {"on_time", "due_soon", "overdue", "met", "missed"}
    assert Round.objects.filter(status="done").count() >= 2
    the_day_before = Round.objects.get(day=previous_open_day(now), slot="evening")
    assert the_day_before.status == "missed" and the_day_before.missed_at == the_day_before.window_end


def test_the_demo_rounds_treat_what_came_and_say_why_they_leave_the_rest_open():
    """The history's rounds are a desk's: each treats what came since the one before, what one leaves the next
    takes up, and a round that leaves something open says why (the demo's own messages: the inbox to treat)."""
    from vigie.rounds.models import Round

    call_command("demo", "--no-serve")
    signed = Round.objects.filter(status="done").order_by("signed_at")
    assert signed.filter(handled__gt=0).count() > signed.count() // 2
    for row in signed:
        assert bool(row.left_open_reason) == (row.left_open > 0), row
        assert bool(row.urgent_reason) == (row.urgent_left > 0), row
    history = Item.objects.filter(message__external_id__startswith="hist-")
    last_rounds = signed.filter(handled__gt=0).reverse()[:2]
    assert not history.filter(status__in=["new", "in_progress"], received_at__lte=last_rounds[1].signed_at).exists()
    assert history.filter(status="done").count() > history.count() * 0.8
    demo_left = signed.filter(left_open_reason=DEMO_LEFT_OPEN)
    assert demo_left.exists() and signed.exclude(left_open_reason=DEMO_LEFT_OPEN).filter(left_open__gt=0).exists()
    # what the history told the team was read then: alerts about its treated items are not waiting unread
    from vigie.notifications.models import Notification

    treated = [f"item:{pk}" for pk in history.filter(status="done").values_list("pk", flat=True)]
    told = Notification.objects.filter(key__in=treated)
    assert told.exists() and not told.filter(read_at=None).exists()
    assert all(n.read_at > n.created_at and n.created_at < signed.last().signed_at for n in told)


@pytest.mark.parametrize("now", ["2027-03-15T06:30:00+01:00", "2027-03-15T23:30:00+01:00"])
def test_the_demo_messages_are_moved_to_end_the_day_before_at_their_own_hours(now):
    from vigie.demo.files import records

    moved = records(datetime.fromisoformat(now))
    original = [json.loads(line) for line in DATA.read_text().splitlines() if line.strip()]
    newest = max(datetime.fromisoformat(row["created_at"]) for row in moved)
    assert newest.date().isoformat() == "2027-03-14"
    shift = datetime.fromisoformat(moved[0]["created_at"]) - datetime.fromisoformat(original[0]["created_at"])
    assert shift.seconds == 0 and shift.days > 0  # whole days: each message keeps its hour
    pairs = zip(moved, original, strict=True)
    posts = [(row["post"]["published_at"], old["post"]["published_at"]) for row, old in pairs if "post" in row]
    assert posts and all(datetime.fromisoformat(a) - datetime.fromisoformat(b) == shift for a, b in posts)


@pytest.mark.parametrize("now", ["2027-03-15T06:30:00+01:00", "2027-03-15T23:30:00+01:00"])
def test_the_demo_stages_the_same_desk_whatever_the_day_and_hour(now):
    """The demo's messages carry dates: its complex requests must stay answerable on any day."""
    import time_machine

    from vigie.helpdesk.models import Task

    with time_machine.travel(now):
        call_command("demo", "--no-serve")
    desk = Task.objects.exclude(item__message__external_id__startswith="hist-")
    assert desk.filter(status="open").count() == 3 and desk.filter(status="done").count() == 1
    assert Message.objects.filter(kind="reply", delivery="pending").count() == 2 + 3
