"""{% deadline_badge due replied %}: the time left to answer, amber under 4 h, red once overdue; the
words say it too (nothing conveyed by colour alone)."""

from django import template
from django.utils import timezone
from django.utils.html import format_html

from vigie.inbox import clocks
from vigie.lib.clock import PARIS

register = template.Library()


@register.simple_tag
def deadline_badge(due, replied=None):
    found = clocks.badge(due, replied, timezone.now())
    if found is None:
        return ""
    when = found.due.astimezone(PARIS)
    return format_html(
        '<span class="badge sla-{}" data-sla="{}" title="Réponse due le {}"><time datetime="{}">{}</time></span>',
        found.state, found.state, f"{when:%d/%m à %H:%M}", when.isoformat(), found.text,
    )  # fmt: skip
