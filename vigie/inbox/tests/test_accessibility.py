"""Accessibility (issue #8 §8): axe-core, from npm, runs on every page for the role that uses it, on a
phone and on a computer; no serious or critical violation. Screenshots of each page are kept in
/tmp/vigie-pages/ for a person to look at."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from vigie.inbox.tests.conftest import PASSWORD, VIEWPORTS

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[3] / "node_modules" / "axe-core" / "axe.min.js"
SHOTS = Path("/tmp/vigie-pages")

# (role, pages that role uses)
PAGES = {
    "community-manager": ["/boite/", "/boite/element/{item}/", "/boite/element/{insult}/", "/boite/publications/",
                          "/boite/fil/{thread}/", "/notifications/", "/taches/", "/reponses/modeles/",
                          "/reponses/charte/", "/reponses/sources/"],
    "communication": ["/boite/approbations/", "/reponses/modeles/{template}/"],
    "direction": ["/indicateurs/", "/indicateurs/?period=quarter", "/audit/", "/crises/", "/crises/{crisis}/",
                  "/suivi/crises/", "/suivi/actions/"],
    "admin": ["/collecte/canaux/", "/collecte/echecs/", "/envois/", "/regles/", "/regles/nouvelle/", "/jetons-api/",
              "/crises/reglages/"],
}  # fmt: skip


def _violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        """async () => {
            const result = await axe.run(document, {resultTypes: ["violations"]});
            return result.violations
              .filter((v) => v.impact === "serious" || v.impact === "critical")
              .map((v) => {
                const where = v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ");
                return `${v.id} (${v.impact}): ${v.help} — ${where}`;
              });
        }"""
    )
    return found


@pytest.fixture
def axe_page(chromium, live_server):
    """A page whose context lets the test inject axe-core (Vigie's CSP forbids any script but its own)."""
    if not AXE.exists():
        pytest.skip("axe-core is missing: `make static` installs it from npm")
    contexts = []

    def _open(viewport: str):
        context = chromium.new_context(base_url=live_server.url, locale="fr-FR", bypass_csp=True, **VIEWPORTS[viewport])
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield _open
    for context in contexts:
        context.close()


def _log_in(page, username: str) -> None:
    page.goto("/compte/connexion/")
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.locator(".topbar .who")).to_have_text(username)


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_no_serious_accessibility_violation_on_any_page(axe_page, desk_users, inbox_items, deliver, viewport):
    from vigie.crisis import actions as crisis_actions
    from vigie.crisis.demo import start_demo_crisis
    from vigie.replies.models import ReplyTemplate

    template = ReplyTemplate.objects.create(title="Dates", label="question", body="Bonjour {prenom}, voir {lien_site}.")
    item = inbox_items["portes"]
    crisis = start_demo_crisis()  # its banner is then on every page
    crisis_actions.draft_statement(crisis, by=desk_users["communication"], text="Nous condamnons ces propos.")
    crisis_actions.approve_statement(crisis, by=desk_users["communication"])
    crisis_actions.approve_statement(crisis, by=desk_users["direction"])  # the publication form is shown
    # an insult still online: the thumb bar's take-down, the folded composer
    insult = deliver(90, "Bande de connards d'escrocs, allez vous faire foutre avec vos formations de merde")
    ids = {"item": item.pk, "insult": insult.item_id, "thread": item.thread_id, "template": template.pk,
           "crisis": crisis.pk}  # fmt: skip
    SHOTS.mkdir(exist_ok=True)
    problems = {}
    for username, paths in PAGES.items():
        page = axe_page(viewport)
        if username == "community-manager":  # the login page too, once
            page.goto("/compte/connexion/")
            problems.update({"connexion": found} if (found := _violations(page)) else {})
        _log_in(page, username)
        for path in paths:
            url = path.format(**ids)
            response = page.goto(url)
            assert response.status < 400, url
            name = re.sub(r"[^a-z0-9]+", "-", f"{username}{url}").strip("-")
            page.screenshot(path=str(SHOTS / f"{name}-{viewport}.png"), full_page=True)
            found = _violations(page)
            if found:
                problems[f"{username} {url}"] = found
    assert not problems, problems
    # and axe does see a violation when there is one (a button without a name)
    page.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend', '<button></button>')")
    assert any(v.startswith("button-name (critical)") for v in _violations(page))
