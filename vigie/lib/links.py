"""Addresses that came from outside (platforms, imports) and are shown as links: only web addresses.

`web_url` is a template filter available in every template (settings: TEMPLATES builtins); use it
wherever a stored external URL becomes an href, so that `javascript:` or `data:` never does.
"""

from urllib.parse import urlsplit

from django import template

register = template.Library()

WEB_SCHEMES = frozenset({"http", "https"})


def is_web_url(url: str | None) -> bool:
    if not url or any(ord(char) < 33 for char in url):  # browsers drop control characters and spaces
        return False
    parts = urlsplit(url)
    return parts.scheme.lower() in WEB_SCHEMES and bool(parts.netloc)


@register.filter
def web_url(url: str | None) -> str:
    """The address when it is http(s), else "" (so `{% if x|web_url %}` renders no link)."""
    return url if is_web_url(url) else ""
