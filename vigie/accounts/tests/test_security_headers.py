"""The Content-Security-Policy (django-csp): no inline script anywhere; Swagger UI works under it."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

VIGIE = Path(__file__).resolve().parents[2]


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {name: values for name, *values in (part.split() for part in policy.split(";") if part.strip())}


@pytest.mark.parametrize("url", ["/compte/connexion/", "/boite/"])
def test_every_page_forbids_inline_script(client, cm, url):
    client.force_login(cm)
    policy = directives(client.get(url))
    assert policy["script-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]


def test_the_api_documentation_has_no_inline_script_either(client, personas):
    client.force_login(personas["admin"])
    response = client.get(reverse("api-docs"))
    assert directives(response)["script-src"] == ["'self'"]
    page = response.content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page)  # the init script is a file too
    script = re.search(r'<script src="([^"]*script=[^"]*)"', page).group(1).replace("&amp;", "&")
    init = client.get(script)
    assert init.status_code == 200 and "SwaggerUIBundle" in init.content.decode()


def test_no_template_or_script_has_inline_script_or_event_handlers():
    offenders = []
    for path in [*VIGIE.rglob("templates/**/*.html"), VIGIE / "static" / "vigie" / "vigie.js"]:
        text = path.read_text()
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+\s*=|javascript:|hx-on", text, re.IGNORECASE):
            offenders.append(str(path.relative_to(VIGIE)))
    assert offenders == []
