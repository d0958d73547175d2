import json

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from vigie.accounts.roles import requires
from vigie.lib.forms import Form
from vigie.policy import editing, engine
from vigie.policy.facts import Facts
from vigie.policy.models import Rule
from vigie.triage.models import LABELS

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
    definition = forms.CharField(
        label="Définition (JSON)", widget=forms.Textarea(attrs={"rows": 14, "class": "code", "spellcheck": "false"})
    )

    def clean_definition(self):
        try:
            definition = json.loads(self.cleaned_data["definition"])
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(
                f"JSON illisible : {exc.msg} (ligne {exc.lineno}, colonne {exc.colno})"
            ) from exc
        errors = engine.validate(definition)
        if errors:
            raise forms.ValidationError(errors)
        return definition


class SampleForm(Form):
    text = forms.CharField(label="Message d'essai", widget=forms.Textarea(attrs={"rows": 3}))
    label = forms.ChoiceField(label="Étiquette", choices=LABELS)
    platform = forms.ChoiceField(label="Plateforme", choices=[("facebook", "Facebook"), ("linkedin", "LinkedIn"),
                                                             ("youtube", "YouTube")])  # fmt: skip
    kind = forms.ChoiceField(label="Type", choices=[("comment", "Commentaire"), ("private_message", "Message privé")])
    confidence = forms.FloatField(label="Confiance", min_value=0, max_value=1, initial=0.95)
    targets_staff = forms.BooleanField(label="Vise le personnel", required=False)
    author_offences = forms.IntegerField(label="Infractions de l'auteur", min_value=0, initial=0)


@requires("manage_rules")
def rule_list(request):
    return render(request, "policy/rules.html", {"rules": Rule.objects.prefetch_related("versions")})


@requires("manage_rules")
def rule_edit(request, pk: int | None = None):
    rule = get_object_or_404(Rule, pk=pk) if pk else None
    initial = {"definition": json.dumps(rule.current.definition if rule and rule.current else EXAMPLE, indent=2,
                                        ensure_ascii=False)}  # fmt: skip
    if rule:
        initial |= {"name": rule.name, "description": rule.description, "enabled": rule.enabled}
    form = RuleForm(request.POST or None, initial=initial)
    preview = sample = None
    sample_form = SampleForm(request.POST if "sample" in request.POST else None, prefix="sample")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if "save" in request.POST:
            rule = editing.save_rule(
                rule,
                name=data["name"],
                description=data["description"],
                enabled=data["enabled"],
                definition=data["definition"],
                by=request.user,
            )
            messages.success(request, f"Règle enregistrée (version {rule.current.number}).")
            return redirect("policy:edit", pk=rule.pk)
        if "preview" in request.POST:
            preview = editing.dry_run(data["definition"])
        if "sample" in request.POST and sample_form.is_valid():
            sample = engine.evaluate([engine.RuleSpec("essai", 0, data["definition"])], _sample_facts(sample_form))
    return render(request, "policy/rule_edit.html", {
        "rule": rule, "form": form, "preview": preview, "sample_form": sample_form, "sample": sample,
    })  # fmt: skip


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
