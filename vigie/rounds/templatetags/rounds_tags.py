from django import template

from vigie.rounds.models import Round

register = template.Library()


@register.filter
def round_status(plan, now) -> str:
    return plan.status(now)


@register.filter
def round_open(plan, now) -> bool:
    return plan.is_open(now)


@register.filter
def round_status_label(status: str) -> str:
    return Round.Status(status).label
