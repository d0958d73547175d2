"""« Modèles de réponse », « Charte de modération », « Sources fiables »: read by the desk, changed by the
communication officer and the admins."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from vigie.accounts.roles import can, requires
from vigie.inbox.reply_suggestions import values_for
from vigie.replies import editing
from vigie.replies.forms import CharterForm, SourceForm, TemplateForm
from vigie.replies.models import Charter, ReplyTemplate, Source
from vigie.replies.render import render as fill

SAMPLE_AUTHOR = "Chloé Rousseau"


def _preview(body: str) -> str:
    """The template as a person would see it in a reply to a sample message by Chloé Rousseau."""
    return fill(body, values_for(None) | {"prenom": SAMPLE_AUTHOR.split()[0]})


@requires("read_inbox")
def templates(request):
    shown = ReplyTemplate.objects.order_by("-active", "label", "title")
    rows = [(t, _preview(t.body)) for t in shown]
    return render(request, "replies/templates.html", {"rows": rows, "sample_author": SAMPLE_AUTHOR})


@requires("manage_replies")
def template_edit(request, pk: int | None = None):
    template = get_object_or_404(ReplyTemplate, pk=pk) if pk else ReplyTemplate()
    form = TemplateForm(request.POST or None, instance=template)
    if request.method == "POST" and form.is_valid():
        editing.save_template(form.instance, by=request.user)
        messages.success(request, f"Modèle « {form.instance.title} » enregistré.")
        return redirect("replies:templates")
    versions = template.versions.select_related("changed_by") if template.pk else []
    preview = _preview(form["body"].value() or "")
    return render(request, "replies/template_edit.html",
                  {"form": form, "template": template, "versions": versions, "preview": preview,
                   "sample_author": SAMPLE_AUTHOR})  # fmt: skip


@require_POST
@requires("manage_replies")
def template_retire(request, pk: int):
    template = get_object_or_404(ReplyTemplate, pk=pk)
    editing.retire_template(template, by=request.user)
    messages.success(request, f"Modèle « {template.title} » retiré : il n'est plus proposé.")
    return redirect("replies:templates")


@requires("read_inbox")
def charter(request):
    form = CharterForm(request.POST or None)
    if request.method == "POST":
        _may_change(request)
        if form.is_valid():
            data = form.cleaned_data
            editing.publish_charter(data["version"], data["url"], data["text"], by=request.user)
            messages.success(request, f"Charte {data['version']} en vigueur.")
            return redirect("replies:charter")
    return render(request, "replies/charter.html", {"versions": Charter.objects.all(), "form": form})


@requires("read_inbox")
def sources(request, pk: int | None = None):
    source = get_object_or_404(Source, pk=pk) if pk else Source()
    form = SourceForm(request.POST or None, instance=source)
    if request.method == "POST":
        _may_change(request)
        if form.is_valid():
            editing.save_source(form.instance, by=request.user)
            messages.success(request, f"Source « {form.instance.title} » enregistrée.")
            return redirect("replies:sources")
    return render(request, "replies/sources.html",
                  {"sources": Source.objects.order_by("title"), "form": form, "editing": source})  # fmt: skip


@require_POST
@requires("manage_replies")
def source_delete(request, pk: int):
    source = get_object_or_404(Source, pk=pk)
    editing.delete_source(source, by=request.user)
    messages.success(request, f"Source « {source.title} » retirée.")
    return redirect("replies:sources")


def _may_change(request) -> None:
    """Everyone at the desk reads these pages; only communication and the admins change them."""
    if not can(request.user, "manage_replies"):
        raise PermissionDenied
