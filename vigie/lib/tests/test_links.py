import pytest
from django.template import Context, Template

from vigie.lib.links import is_web_url


@pytest.mark.parametrize("url", ["https://www.facebook.com/1/posts/2", "http://exemple.fr/a?b=c", "HTTPS://X.FR/"])
def test_web_addresses_are_links(url):
    assert is_web_url(url)


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "JAVASCRIPT:alert(1)", "java\tscript:alert(1)", " javascript:x", "data:text/html,x",
            "vbscript:x", "//evil.example/", "/boite/", "https:///x", "", None],
)  # fmt: skip
def test_anything_else_is_not(url):
    assert not is_web_url(url)


def test_the_filter_is_available_in_every_template():
    rendered = Template('{% with link=url|web_url %}{% if link %}<a href="{{ link }}">{% endif %}{% endwith %}')
    assert rendered.render(Context({"url": "javascript:alert(1)"})) == ""
    assert rendered.render(Context({"url": "https://x.fr/"})) == '<a href="https://x.fr/">'
