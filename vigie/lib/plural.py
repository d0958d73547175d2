"""French plurals in templates: `{{ n }} message{{ n|pluriel }}`, `nouveau{{ n|pluriel:"x" }}`.

Django's `pluralize` follows English, where zero is plural (« 0 traités »); in French, zero and one take the
singular (« 0 traité », « 1 traité », « 2 traités »). A template filter available everywhere (settings:
TEMPLATES builtins): use it instead of `pluralize`.
"""

from django import template

register = template.Library()


@register.filter
def pluriel(count, suffix: str = "s") -> str:
    """`suffix` when `count` (a number, or anything with a length) is two or more, else ""."""
    try:
        number = abs(float(count))
    except (TypeError, ValueError):
        try:
            number = len(count)
        except TypeError:
            return ""
    return suffix if number >= 2 else ""
