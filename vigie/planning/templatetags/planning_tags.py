"""{% planning_boards %}: the monday.com board's section of the « Canaux » page."""

from django import template

from vigie.planning.forms import TokenForm
from vigie.planning.models import FIELDS, Board

register = template.Library()


@register.inclusion_tag("planning/_boards.html", takes_context=True)
def planning_boards(context):
    boards = list(Board.objects.order_by("name", "pk"))
    for board in boards:
        board.mapped = [(FIELDS.get(f, f), board.column_title(c)) for f, c in board.mapping.items()]
        board.gone = [(FIELDS.get(g["field"], g["field"]), g.get("title") or g["column"], g) for g in board.missing]
    all_connected = bool(boards) and all(board.status == Board.Status.CONNECTED for board in boards)
    return {
        "boards": boards,
        "all_connected": all_connected,
        "form": TokenForm(),
        "csrf_token": context.get("csrf_token"),
    }


@register.filter
def field_label(name: str) -> str:
    return FIELDS.get(name, name)


@register.filter
def get_item(mapping: dict, key):
    return mapping.get(key)
