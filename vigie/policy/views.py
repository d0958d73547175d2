import json

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from vigie.accounts.people import active_people, name_of
from vigie.accounts.roles import requires
from vigie.lib.forms import Form
from vigie.policy import builder, editing, engine
from vigie.policy.facts import Facts
from vigie.policy.models import Rule
from vigie.replies.models import ReplyTemplate
from vigie.vocabulary import LABELS, Kind, Platform

EXAMPLE = {
    "match": "all",
    "conditions": [{"type": "label_in", "labels": ["spam"]}, {"type": "confidence_at_least", "value": 0.9}],
    "actions": [{"type": "delete"}],
    "automatic": False,
}


class RuleForm(Form):
    name = forms.CharField(label="Nom", max_length=120)
    description = forms.CharField(label="Description", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    enabled = forms.BooleanField(label="Active", required=False)


class SampleForm(Form):
    use_required_attribute = False  # inside the rule's form: it must not stop saving the rule
    text = forms.CharField(label="Message d'essai", widget=forms.Textarea(attrs={"rows": 3}))
    label = forms.ChoiceField(label="Étiquette", choices=LABELS)
    platform = forms.ChoiceField(label="Plateforme", choices=Platform.choices)
    kind = forms.ChoiceField(label="Type", choices=Kind.choices)
    confidence = forms.FloatField(label="Confiance", min_value=0, max_value=1, initial=0.95)
    targets_staff = forms.BooleanField(label="Vise le personnel", required=False)
    author_offences = forms.IntegerField(label="Infractions de l'auteur", min_value=0, initial=0)


@requires("manage_rules")
def rule_list(request):
    return render(request, "policy/rules.html", {"rules": Rule.objects.prefetch_related("versions")})


@requires("manage_rules")
def rule_edit(request, pk: int | None = None):
    rule = get_object_or_404(Rule, pk=pk) if pk else None
    initial = {"name": rule.name, "description": rule.description, "enabled": rule.enabled} if rule else {}
    form = RuleForm(request.POST or None, initial=initial)
    sample_form = SampleForm(request.POST if "sample" in request.POST else None, prefix="sample")
    if request.method == "POST":
        draft, definition, errors, typed_json = _posted_rule(request.POST)
    else:
        draft, errors, typed_json = builder.from_definition(rule.current.definition if rule and rule.current
                                                            else EXAMPLE), [], None  # fmt: skip
        definition, _ = builder.to_definition(draft)  # in the form's order (PostgreSQL's JSONB keeps its own)
    preview = sample = None
    acting = any(button in request.POST for button in ("save", "save_json", "preview", "sample"))
    if acting and not errors and form.is_valid():
        if "save" in request.POST or "save_json" in request.POST:
            rule = editing.save_rule(rule, **form.cleaned_data, definition=definition, by=request.user)
            messages.success(request, f"Règle enregistrée (version {rule.current.number}).")
            return redirect("policy:edit", pk=rule.pk)
        if "preview" in request.POST:
            preview = editing.dry_run(definition)
        if "sample" in request.POST and sample_form.is_valid():
            sample = engine.evaluate([engine.RuleSpec("essai", 0, definition)], _sample_facts(sample_form))
    return render(request, "policy/rule_edit.html", {
        "rule": rule, "form": form, "preview": preview, "sample_form": sample_form, "sample": sample,
        "draft": draft, "rows": builder.rows(draft, _choices()), "errors": errors if acting or typed_json else [],
        "condition_types": builder.type_choices("c"), "action_types": builder.type_choices("a"),
        "definition_json": typed_json if typed_json is not None else json.dumps(definition, indent=2,
                                                                               ensure_ascii=False),
        "landing": _landing(request.POST), "json_open": typed_json is not None and bool(errors),
    })  # fmt: skip


def _posted_rule(data) -> tuple[builder.Draft, dict, list[str], str | None]:
    """The rule posted, from the form or, with the JSON view's buttons, from its JSON: the draft to show
    again, the definition, the French errors (same validation both ways) and the JSON as typed."""
    if "apply_json" in data or "save_json" in data:
        typed = data.get("definition", "")
        try:
            definition = json.loads(typed)
        except json.JSONDecodeError as exc:
            error = f"JSON illisible : {exc.msg} (ligne {exc.lineno}, colonne {exc.colno})"
            return builder.from_post(data), {}, [error], typed
        return builder.from_definition(definition), definition, engine.validate(definition), typed
    draft = builder.from_post(data)
    definition, errors = builder.to_definition(draft)
    return draft, definition, errors or engine.validate(definition), None


def _landing(data) -> str:
    """Where the page comes back after a change of the form: the row changed, or the button pressed."""
    for key in ("add_c", "add_a"):
        if key in data:
            return f"{key[-1]}{builder.row_count(data, key[-1])}"
    return data.get("refresh", "") or ("add_c" if data.get("remove", "").startswith("c") else
                                        "add_a" if data.get("remove") else "")  # fmt: skip


def _choices() -> dict[str, list[tuple[str, str]]]:
    """The lists the form takes from the database: reply templates and the people of the desk."""
    templates = ReplyTemplate.objects.filter(active=True).order_by("title").values_list("title", flat=True)
    return {
        "template": [(title, title) for title in dict.fromkeys(templates)],
        "username": [(person.username, name_of(person)) for person in active_people()],
    }


def _sample_facts(form: SampleForm) -> Facts:
    from vigie.triage.normalize import EMAIL_RE, PHONE_RE, URL_RE

    data = form.cleaned_data
    text = data["text"]
    return Facts(
        text=text,
        platform=data["platform"],
        kind=data["kind"],
        created_at=timezone.now(),
        label=data["label"],
        confidence=data["confidence"],
        targets_staff=data["targets_staff"],
        author_offences=data["author_offences"],
        has_link=bool(URL_RE.search(text)),
        has_phone=bool(PHONE_RE.search(text)),
        has_email=bool(EMAIL_RE.search(text)),
    )
