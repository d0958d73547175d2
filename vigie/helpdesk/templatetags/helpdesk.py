"""Pieces of other apps' pages: an item's follow-up, the Freshdesk panel of the « Canaux » page."""

from django import template
from django.urls import reverse

from vigie.accounts.people import desk_people
from vigie.helpdesk import queries, service
from vigie.helpdesk.forms import FreshdeskForm
from vigie.helpdesk.models import Task

register = template.Library()


def _shared(context) -> dict:
    return {"csrf_token": context.get("csrf_token"), "can": context.get("can", {}), "request": context.get("request")}


@register.inclusion_tag("helpdesk/_followup.html", takes_context=True)
def item_followup(context, item):
    tasks = queries.item_tasks(item)
    user = context["request"].user
    due_on = service.default_due()
    text, template_used = service.holding_text(item, due_on)
    people = list(desk_people())
    owner = item.assignee_id or (user.pk if any(p.pk == user.pk for p in people) else None)
    return _shared(context) | {
        "item": item,
        "tasks": tasks,
        "has_open_task": any(t.status == Task.Status.OPEN for t in tasks),
        "timeline": queries.timeline(item, tasks),
        "people": people,
        "default_owner": owner,
        "default_due": due_on,
        "holding_text": text,
        "holding_template": template_used,
        "freshdesk": service.connected_freshdesk(),
        "window_shut": context.get("window_shut"),  # Messenger's reply window: no holding reply can go out
    }


@register.inclusion_tag("helpdesk/_freshdesk_panel.html", takes_context=True)
def freshdesk_panel(context):
    request = context["request"]
    return _shared(context) | {
        "channel": service.freshdesk_channel(),
        "form": FreshdeskForm(),
        "webhook_url": request.build_absolute_uri(reverse("webhook-freshdesk")),
    }
