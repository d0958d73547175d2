"""The direction's landing page and a chart in a real browser (Debian Chromium), on a phone and a computer.
Screenshots are kept in /tmp/vigie-pages/ for a person to look at."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from vigie.inbox.tests.conftest import PASSWORD

pytestmark = pytest.mark.browser
SHOTS = Path("/tmp/vigie-pages")


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_the_direction_lands_on_the_indicators_and_reads_a_chart(open_page, desk_users, message, viewport):
    now = timezone.now()
    for days, label in [(0, "question"), (1, "abuse"), (1, "question"), (2, "spam"), (3, "criticism"), (5, "question")]:
        message(now - timedelta(days=days, minutes=5), label=label)
    page = open_page(viewport)
    page.goto("/")
    page.get_by_label("Identifiant").fill("direction")
    page.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page).to_have_url(re.compile(r"/indicateurs/$"))
    expect(page.get_by_role("heading", name="Indicateurs", exact=True)).to_be_visible()
    page.get_by_role("link", name="Ce trimestre").click()
    expect(page).to_have_url(re.compile(r"period=quarter"))
    chart = page.get_by_role("img", name=re.compile("Messages reçus par étiquette"))
    expect(chart).to_be_visible()
    box = chart.bounding_box()
    assert box["width"] > 250 and box["height"] > 100  # the width of a phone, less the margins
    assert chart.locator("rect").count() >= 4  # a bar piece per label and day with messages
    figure = page.locator("#graphique-volumes")
    figure.get_by_text("Voir les données").click()
    expect(figure.get_by_role("table")).to_be_visible()
    expect(figure.get_by_role("table")).to_contain_text("Propos injurieux")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")  # no sideways scrolling
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"indicateurs-{viewport}.png"), full_page=True)
    chart.screenshot(path=str(SHOTS / f"indicateurs-graphique-{viewport}.png"))
    _the_tables_are_folded_on_a_phone_only(page, viewport)


def _the_tables_are_folded_on_a_phone_only(page, viewport):
    """A phone lists the detailed tables by their titles (the page would be metres long), one tap opens
    one; a computer shows them all."""
    labels = page.locator("#tableau-labels")
    table = labels.get_by_role("table")
    if viewport == "desktop":
        expect(table).to_be_visible()
        return
    expect(table).to_be_hidden()
    assert page.locator("details.folding[open]").count() == 0
    labels.get_by_role("heading", name="Volumes par étiquette").click()
    expect(table).to_be_visible()
    expect(table).to_contain_text("Propos injurieux")
