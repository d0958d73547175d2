from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from vigie.accounts.roles import ROLE_LABELS, can, requires
from vigie.crisis import register as crises_register
from vigie.crisis.models import Crisis
from vigie.inbox.errors import ActionError
from vigie.inbox.models import Author, Message
from vigie.lib.pages import filters_of, page_of
from vigie.lib.plural import pluriel
from vigie.records import exports, holds, improvements, privacy, processing, quality, registers, retention
from vigie.records.forms import (
    ComplaintFilterForm,
    ComplaintForm,
    CrisisFilterForm,
    DrawForm,
    ImprovementForm,
    ImprovementUpdateForm,
    ModerationFilterForm,
    PersonSearchForm,
    ReportForm,
    RetentionForm,
    ReviewForm,
)
from vigie.records.models import (
    Complaint,
    ImprovementAction,
    LegalHold,
    PrivacyRequest,
    QualityCheck,
    QualitySample,
    RetentionPolicy,
    RetentionRun,
)

PAGE = 50


def _back(request, fallback: str):
    target = request.POST.get("next", "")
    return redirect(target if target.startswith("/") and not target.startswith("//") else fallback)


# --- overview -----------------------------------------------------------------------------------


@requires("read_registers")
def overview(request):
    context = {
        "complaints": Complaint.objects.count(),
        "open_complaints": Complaint.objects.filter(outcome=Complaint.Outcome.OPEN).count(),
        "overdue": improvements.overdue().count(),
        "open_actions": ImprovementAction.objects.filter(status__in=improvements.OPEN).count(),
        "last_check": QualityCheck.objects.first(),
        "crises": Crisis.objects.count(),
        "open_crises": Crisis.objects.filter(status__in=Crisis.ACTIVE).count(),
    }
    return render(request, "records/overview.html", context)


# --- complaints ---------------------------------------------------------------------------------


def _filtered(request, form_class):
    """A register's filter form and its values: {} when nothing is filtered, None when the form is wrong."""
    form = form_class(request.GET or None)
    if not form.is_bound:
        return form, {}
    return form, (form.cleaned_data if form.is_valid() else None)


def _complaints(request):
    form, data = _filtered(request, ComplaintFilterForm)
    found = Complaint.objects.select_related("logged_by", "message")
    if data is None:
        return form, found.none()
    if data.get("platform"):
        found = found.filter(platform=data["platform"])
    if data.get("outcome"):
        found = found.filter(outcome=data["outcome"])
    if data.get("date_from"):
        found = found.filter(received_at__date__gte=data["date_from"])
    if data.get("date_to"):
        found = found.filter(received_at__date__lte=data["date_to"])
    if data.get("q"):
        found = found.filter(
            Q(subject__icontains=data["q"]) | Q(author_name__icontains=data["q"]) | Q(improvement__icontains=data["q"])
        )
    return form, found


@requires("read_registers")
def complaints(request):
    form, found = _complaints(request)
    page = page_of(request, found, PAGE)
    return render(request, "records/complaints.html", {"form": form, "page": page, "query": filters_of(request)})


@requires("read_registers")
def complaints_export(request):
    _, found = _complaints(request)
    return exports.csv_response(
        "vigie-registre-reclamations.csv",
        exports.COMPLAINTS,
        exports.complaint_rows(found.order_by("received_at", "id")),
    )


@require_POST
@requires("keep_registers")
def complaint_log(request, message_id: int):
    message = get_object_or_404(Message.objects.select_related("channel", "author"), pk=message_id)
    try:
        complaint = registers.log_complaint(message, by=request.user)
    except ActionError as error:
        messages.error(request, str(error))
    else:
        link = reverse("records:complaint", args=[complaint.pk])
        messages.success(request, f"Inscrite au registre des réclamations (n° {complaint.pk}).")
        if request.POST.get("open"):
            return redirect(link)
    return _back(request, reverse("records:complaints"))


@requires("read_registers")
def complaint(request, pk: int):
    found = get_object_or_404(Complaint.objects.select_related("message", "logged_by"), pk=pk)
    form = ComplaintForm(
        request.POST or None, initial={name: getattr(found, name) for name in registers.COMPLAINT_FIELDS}
    )
    if request.method == "POST":
        if not _can(request, "keep_registers"):
            raise PermissionDenied
        if form.is_valid():
            registers.update_complaint(found, by=request.user, **form.cleaned_data)
            messages.success(request, f"Réclamation n° {found.pk} mise à jour.")
            return redirect("records:complaint", pk=found.pk)
    context = {
        "complaint": found,
        "form": form,
        "actions": found.actions.select_related("owner"),
        "action_form": ImprovementForm(
            initial={"origin": "complaint", "complaint": found.pk, "title": f"Suite à la réclamation n° {found.pk} : "}
        ),
    }
    return render(request, "records/complaint.html", context)


def _can(request, capability: str) -> bool:
    return can(request.user, capability)


# --- moderation register ------------------------------------------------------------------------


def _moderation(request, limit=None):
    form, data = _filtered(request, ModerationFilterForm)
    if data is None:
        return form, []
    rows = registers.moderation_register(
        platform=data.get("platform", ""),
        verb=data.get("verb", ""),
        date_from=data.get("date_from"),
        date_to=data.get("date_to"),
        limit=limit,
    )
    return form, rows


@requires("read_registers")
def moderation(request):
    form, rows = _moderation(request, limit=200)
    return render(request, "records/moderation.html", {"form": form, "rows": rows, "query": filters_of(request)})


@requires("read_registers")
def moderation_export(request):
    _, rows = _moderation(request)
    return exports.csv_response("vigie-registre-moderation.csv", exports.MODERATION, exports.moderation_rows(rows))


@require_POST
@requires("moderate")
def report(request, message_id: int):
    message = get_object_or_404(Message.objects.select_related("channel", "classification"), pk=message_id)
    form = ReportForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Références du signalement invalides.")
    else:
        try:
            registers.record_report(message, by=request.user, **form.cleaned_data)
        except ActionError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Signalement à la plateforme inscrit au registre de modération.")
    return _back(request, reverse("records:moderation"))


# --- crisis register ----------------------------------------------------------------------------


def _crises(request):
    form, data = _filtered(request, CrisisFilterForm)
    if data is None:
        return form, Crisis.objects.none()
    return form, crises_register.crises(**{k: v for k, v in data.items() if v})


@requires("read_registers")
def crisis_register(request):
    form, found = _crises(request)
    page = page_of(request, found, PAGE)
    context = {"form": form, "page": page, "rows": crises_register.rows(page.object_list), "query": filters_of(request)}
    return render(request, "records/crises.html", context)


@requires("read_registers")
def crisis_register_export(request):
    _, found = _crises(request)
    return exports.csv_response("vigie-registre-crises.csv", exports.CRISES,
                                exports.crisis_rows(crises_register.rows(found)))  # fmt: skip


# --- control plan: quality ----------------------------------------------------------------------


@requires("read_registers")
def quality_list(request):
    checks = QualityCheck.objects.select_related("drawn_by", "reviewer")
    month = timezone.localdate().replace(day=1)
    previous = (month - timedelta(days=1)).replace(day=1)
    form = DrawForm(initial={"month": previous.strftime("%Y-%m"), "size": quality.DEFAULT_SIZE})
    return render(request, "records/quality_list.html", {"checks": checks, "form": form})


@require_POST
@requires("run_control_plan")
def quality_draw(request):
    form = DrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choisissez un mois et une taille d'échantillon entre 1 et 500.")
        return redirect("records:quality")
    try:
        check = quality.draw_check(form.cleaned_data["month"], by=request.user, size=form.cleaned_data["size"])
    except ActionError as error:
        messages.error(request, str(error))
        return redirect("records:quality")
    messages.success(request, f"Échantillon de {check.samples.count()} messages tiré.")
    return redirect("records:quality_check", pk=check.pk)


@requires("read_registers")
def quality_check(request, pk: int):
    check = get_object_or_404(QualityCheck.objects.select_related("reviewer", "drawn_by"), pk=pk)
    samples = list(check.samples.select_related("item__message__author", "item__thread__post"))
    pending = next((s for s in samples if not s.reviewed), None)
    context = {
        "check": check,
        "samples": samples,
        "pending": pending,
        "scores": quality.scores(check),
        "deviations": quality.deviations(check),
        "done": sum(s.reviewed for s in samples),
        "review_form": ReviewForm(auto_id="review_%s"),
        "may_review": _can(request, "run_control_plan")
        and check.completed_at is None
        and check.reviewer_id in (None, request.user.pk),
    }
    return render(request, "records/quality_check.html", context)


@require_POST
@requires("run_control_plan")
def quality_review(request, pk: int):
    sample = get_object_or_404(QualitySample, pk=pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Répondez aux trois questions (étiquette, action, délai).")
    else:
        try:
            quality.review(sample, by=request.user, **form.cleaned_data)
        except ActionError as error:
            messages.error(request, str(error))
    return redirect("records:quality_check", pk=sample.quality_check_id)


# --- control plan: improvement actions ----------------------------------------------------------


@requires("read_registers")
def improvement_list(request):
    actions = ImprovementAction.objects.select_related("owner", "complaint")
    today = improvements.today()
    if request.GET.get("format") == "csv":
        return exports.csv_response(
            "vigie-actions-amelioration.csv", exports.IMPROVEMENTS, exports.improvement_rows(actions, today)
        )
    context = {
        "overdue": improvements.overdue(today),
        "current": actions.filter(status__in=improvements.OPEN, due_on__gte=today),
        "closed": actions.exclude(status__in=improvements.OPEN).order_by("-done_at")[:50],
        "form": ImprovementForm(initial=_improvement_initial(request)),
        "today": today,
        "open_form": "sample" in request.GET or "complaint" in request.GET,
    }
    return render(request, "records/improvements.html", context)


def _improvement_initial(request) -> dict:
    """An action opened from a deviation of the quality check or from a complaint starts filled in."""
    sample = (
        QualitySample.objects.filter(pk=request.GET.get("sample", "")).first()
        if request.GET.get("sample", "").isdigit()
        else None
    )
    if sample is not None:
        return {
            "origin": "deviation",
            "sample": sample.pk,
            "title": f"Écart du contrôle qualité "
            f"{sample.quality_check.month:%m/%Y} (message {sample.position}) : " + "; ".join(sample.deviations),
        }
    complaint = request.GET.get("complaint", "")
    if complaint.isdigit():
        return {
            "origin": "complaint",
            "complaint": int(complaint),
            "title": f"Suite à la réclamation n° {complaint} : ",
        }
    return {}


@require_POST
@requires("run_control_plan")
def improvement_new(request):
    form = ImprovementForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            "Action non ouverte : "
            + "; ".join(
                f"{form.fields[k].label} : {v[0]}" if k in form.fields else v[0] for k, v in form.errors.items()
            ),
        )
        return _back(request, reverse("records:improvements"))
    data = form.cleaned_data
    complaint = Complaint.objects.filter(pk=data["complaint"]).first() if data["complaint"] else None
    sample = QualitySample.objects.filter(pk=data["sample"]).first() if data["sample"] else None
    try:
        improvements.open_action(
            by=request.user,
            title=data["title"],
            owner=data["owner"],
            due_on=data["due_on"],
            origin=data["origin"],
            complaint=complaint,
            sample=sample,
            origin_reference=data["origin_reference"],
        )
    except ActionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Action d'amélioration ouverte.")
    return _back(request, reverse("records:improvements"))


@requires("read_registers")
def improvement(request, pk: int):
    action = get_object_or_404(ImprovementAction.objects.select_related("owner", "complaint", "sample"), pk=pk)
    form = ImprovementUpdateForm(
        request.POST or None, initial={"status": action.status, "evidence": action.evidence, "due_on": action.due_on}
    )
    if request.method == "POST":
        if not _can(request, "run_control_plan"):
            raise PermissionDenied
        if form.is_valid():
            try:
                improvements.update_action(action, by=request.user, **form.cleaned_data)
            except ActionError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, "Action d'amélioration mise à jour.")
                return redirect("records:improvement", pk=action.pk)
    late = action.status in improvements.OPEN and action.due_on < improvements.today()
    return render(request, "records/improvement.html", {"action": action, "form": form, "late": late})


# --- personal data ------------------------------------------------------------------------------


@requires("manage_privacy")
def privacy_page(request):
    form = PersonSearchForm(request.GET or None)
    found = privacy.find_authors(form.cleaned_data["q"]) if form.is_bound and form.is_valid() else []
    context = {
        "policies": retention.policies().values(),
        "runs": RetentionRun.objects.select_related("by")[:10],
        "form": form,
        "found": found,
        "requests": PrivacyRequest.objects.select_related("handled_by")[:20],
        "retention_form": RetentionForm(),
    }
    return render(request, "records/privacy.html", context)


@require_POST
@requires("manage_privacy")
def retention_policy(request, pk: int):
    policy = get_object_or_404(RetentionPolicy, pk=pk)
    form = RetentionForm(request.POST)
    if form.is_valid():
        retention.set_policy(policy, by=request.user, **form.cleaned_data)
        messages.success(request, "Durée enregistrée : la prochaine exécution quotidienne sera une simulation.")
    else:
        messages.error(request, "Durée invalide : entre 30 et 36 500 jours, avec une justification.")
    return redirect("records:privacy")


@require_POST
@requires("manage_privacy")
def retention_run(request):
    dry_run = request.POST.get("mode") != "apply"
    done = retention.run(dry_run=dry_run, by=request.user)
    label = "Simulation" if dry_run else "Application"
    messages.success(request, f"{label} : {retention.summary(done.counts)}.")
    return redirect("records:privacy")


@requires("manage_privacy")
def person(request, pk: int):
    author = get_object_or_404(Author.objects.select_related("channel", "person"), pk=pk)
    data = privacy.dossier(author)
    held = {a.pk for a in privacy.identities(author)} & holds.held_author_ids()
    context = {"author": author, "data": data, "held": held, "holds": holds.holds_of(author)}
    return render(request, "records/person.html", context)


@require_POST
@requires("manage_privacy")
def person_hold(request, pk: int):
    author = get_object_or_404(Author, pk=pk)
    try:
        holds.hold(author, by=request.user, reason=request.POST.get("reason", ""))
    except ValueError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Conservation légale placée : ni la conservation ni un effacement n'y toucheront.")
    return redirect("records:person", pk=pk)


@require_POST
@requires("manage_privacy")
def hold_release(request, pk: int):
    found = get_object_or_404(LegalHold, pk=pk, released_at__isnull=True)
    holds.release(found, by=request.user)
    messages.success(request, "Conservation légale levée.")
    return _back(request, reverse("records:privacy"))


@requires("manage_privacy")
def person_export(request, pk: int, fmt: str):
    author = get_object_or_404(Author, pk=pk)
    if fmt not in ("json", "csv"):
        raise Http404
    privacy.record_access(author, by=request.user)
    data = privacy.dossier(author)
    if fmt == "csv":
        response = HttpResponse(privacy.as_csv(data), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(privacy.as_json(data), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="vigie-donnees-personne-{author.pk}.{fmt}"'
    return response


@require_POST
@requires("manage_privacy")
def person_erase(request, pk: int):
    author = get_object_or_404(Author, pk=pk)
    if request.POST.get("confirm") != "EFFACER":
        messages.error(request, "Tapez EFFACER pour confirmer l'effacement.")
        return redirect("records:person", pk=pk)
    done = privacy.erase(author, by=request.user)
    identities, erased, evidence = done.counts["identities"], done.counts["messages"], done.counts["evidence"]
    messages.success(
        request,
        f"Données effacées (demande n° {done.pk}) : {identities} identité{pluriel(identities)}, "
        f"{erased} message{pluriel(erased)}, {evidence} preuve{pluriel(evidence)}.",
    )
    return redirect("records:privacy")


@requires("manage_privacy")
def processing_record(request):
    return render(request, "records/processing.html", {"entry": processing.entry(), "role_labels": ROLE_LABELS})
