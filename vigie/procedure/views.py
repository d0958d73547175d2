from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render

from vigie.accounts.roles import requires
from vigie.procedure import render as markdown
from vigie.procedure import service
from vigie.procedure.forms import RevisionForm
from vigie.procedure.models import Revision
from vigie.replies.models import Charter, ReplyTemplate


@requires("read_registers")
def page(request):
    procedure = service.procedure()
    current = procedure.current
    context = {
        "procedure": procedure,
        "current": current,
        "html": markdown.to_html(current.text),
        "revisions": procedure.revisions.select_related("author", "procedure"),
        "charters": Charter.objects.all(),
        "templates": ReplyTemplate.objects.filter(active=True).order_by("label", "title"),
    }
    return render(request, "procedure/page.html", context)


@requires("manage_procedure")
def edit(request):
    procedure = service.procedure()
    form = RevisionForm(request.POST or None, initial={"text": procedure.current.text})
    if request.method == "POST" and form.is_valid():
        try:
            revision = service.revise(
                form.cleaned_data["text"], by=request.user, what=form.cleaned_data["what"], why=form.cleaned_data["why"]
            )
        except service.RevisionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Version {revision.version} de la procédure publiée.")
            return redirect("procedure:page")
    preview = markdown.to_html(form.data.get("text", "")) if form.is_bound else ""
    return render(request, "procedure/edit.html", {"form": form, "procedure": procedure, "preview": preview})


@requires("read_registers")
def revision(request, number: int):
    procedure = service.procedure()
    shown = get_object_or_404(
        Revision.objects.select_related("procedure", "author"), procedure=procedure, number=number
    )
    older = procedure.revisions.filter(number__lt=number).first()
    context = {"procedure": procedure, "revision": shown, "older": older, "diff": service.diff(older, shown)}
    return render(request, "procedure/revision.html", context)
