"""« Planning des publications » in a real browser, on a phone and on a computer: the week, the
prepared messages, confirming the suggested post, the list, the way to the post's comments."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.db import transaction
from playwright.sync_api import Page, expect

from vigie.audit.models import AuditEvent
from vigie.conftest import normalized
from vigie.connectors.base import NormalizedPost
from vigie.inbox import actions
from vigie.inbox.tests.conftest import PASSWORD
from vigie.planning import sync
from vigie.planning.models import PlannedPost
from vigie.planning.tests.conftest import values

pytestmark = pytest.mark.browser

WIDTH = {"phone": 375, "desktop": 1366}
PERMALINK = "https://www.facebook.com/104857600123456/posts/2"


def post(n: int, text: str, at: datetime, permalink: str = "") -> None:
    fields = {"external_id": f"104857600123456_{n}", "text": text, "permalink": permalink, "published_at": at}
    with transaction.atomic():
        actions.ingest(normalized(n, post=NormalizedPost(**fields), thread_external_id=f"t{n}"))


DAY = (datetime.now(UTC) - timedelta(days=3)).replace(hour=9, minute=0, second=0, microsecond=0)  # out by now
WEEK = (DAY - timedelta(days=DAY.weekday())).date()


@pytest.fixture
def planning(role_groups, board, fake_monday, monday_board):
    """Two posts published three days ago (one linked by the board, one to confirm), one coming in three days."""
    post(1, "JOURNÉE PORTES OUVERTES – PARIS : rencontrez les formateurs", DAY)
    post(2, "WEBINAIRE GRATUIT sur l'approche systémique", DAY + timedelta(hours=2), PERMALINK)
    day = DAY.date().isoformat()
    fake_monday.add_item(monday_board, "Portes ouvertes Paris",
                         values(day=day, time="09:00:00", status=1, subject="Portes ouvertes"))  # fmt: skip
    fake_monday.add_item(monday_board, "Webinaire approche systémique",
                         values(day=day, time="11:00:00", status=1, link=PERMALINK))  # fmt: skip
    soon = (datetime.now(UTC) + timedelta(days=3)).date().isoformat()
    fake_monday.add_item(monday_board, "Cycle PNL à Bordeaux", values(day=soon, subject="Cycle de Bordeaux"))
    sync.sync(board)
    return board


def log_in(page: Page, username: str) -> None:
    page.goto("/planning/")
    expect(page).to_have_url(re.compile(r"/compte/connexion/\?next=/planning/"))
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", name="Planning des publications")).to_be_visible()


def fits(page: Page, viewport: str) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH[viewport]


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_the_planning_from_the_week_to_a_confirmed_post(open_page, desk_users, planning, viewport):
    page = open_page(viewport)
    log_in(page, "community-manager")
    fits(page, viewport)

    # the week of three days ago: the two posts, on their day
    page.goto(f"/planning/?semaine={WEEK.isoformat()}")
    expect(page.locator(".week-nav strong")).to_contain_text("Semaine du")
    days = page.locator(".day")
    expect(days).to_have_count(7)
    day, other = days.nth(DAY.weekday()), days.nth((DAY.weekday() + 1) % 7)
    expect(day.locator(".planned")).to_have_count(2)
    card = day.locator(".planned").filter(has_text="Portes ouvertes Paris")
    expect(card).to_contain_text("Facebook")
    expect(card).to_contain_text("Publié")
    expect(day.locator(".planned").filter(has_text="Webinaire approche systémique")).to_contain_text("✓ Publiée")
    fits(page, viewport)
    boxes = day.bounding_box(), other.bounding_box()
    if viewport == "desktop":
        assert abs(boxes[0]["y"] - boxes[1]["y"]) < 1 and boxes[0]["x"] != boxes[1]["x"]  # side by side
    else:
        assert abs(boxes[1]["y"] - boxes[0]["y"]) >= min(boxes[0]["height"], boxes[1]["height"])  # stacked

    # the prepared messages
    card.get_by_text("Messages préparés (2)").click()
    expect(card.get_by_text("Bonjour {prenom}, merci !")).to_be_visible()

    # the suggested post, confirmed
    expect(card).to_contain_text("Publication probable : « JOURNÉE PORTES OUVERTES")
    card.get_by_role("button", name="C'est bien elle").click()
    expect(page.locator(".flash")).to_contain_text("est rapprochée de la publication réelle")
    expect(page).to_have_url(re.compile(rf"semaine={WEEK.isoformat()}"))
    card = page.locator(".day").nth(DAY.weekday()).locator(".planned").filter(has_text="Portes ouvertes Paris")
    expect(card).to_contain_text("✓ Publiée")
    expect(card).to_contain_text("rapprochement confirmé")
    planned = PlannedPost.objects.get(name="Portes ouvertes Paris")
    assert planned.match == "confirmed" and planned.post.external_id == "104857600123456_1"
    assert AuditEvent.objects.get(verb="planned_post.match_confirmed").actor == desk_users["community_manager"]

    # the list: what is coming, what is out
    page.get_by_role("link", name="Liste").click()
    expect(page.locator("#upcoming .planned")).to_have_count(1)
    expect(page.locator("#upcoming")).to_contain_text("Cycle PNL à Bordeaux")
    expect(page.locator("#published .planned")).to_have_count(2)
    fits(page, viewport)

    # from the planned post to its comments in the inbox
    page.locator("#published").get_by_role("link", name=re.compile("WEBINAIRE GRATUIT")).click()
    expect(page).to_have_url(re.compile(r"/boite/fil/\d+/"))
