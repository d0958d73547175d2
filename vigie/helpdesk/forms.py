from django import forms
from django.utils import timezone

from vigie.accounts.people import PersonChoiceField, desk_people
from vigie.connectors.freshdesk.client import DOMAIN
from vigie.lib.forms import Form


class _OwnerAndDue(Form):
    owner = PersonChoiceField(label="Responsable", queryset=None, empty_label=None)
    due_on = forms.DateField(
        label="Échéance",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="par défaut dans 5 jours ouvrés (jours fériés exclus)",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = desk_people()

    def clean_due_on(self):
        due_on = self.cleaned_data["due_on"]
        if due_on < timezone.localdate():
            raise forms.ValidationError("L'échéance est déjà passée : choisissez une date à venir.")
        return due_on


class TaskForm(_OwnerAndDue):
    title = forms.CharField(
        label="Objet de la tâche",
        max_length=200,
        required=False,
        help_text="facultatif : « Faire le point en interne » par défaut",
    )


class ComplexRequestForm(_OwnerAndDue):
    text = forms.CharField(label="Réponse d'attente", max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
    template = forms.IntegerField(required=False, widget=forms.HiddenInput)
    open_ticket = forms.BooleanField(label="Créer aussi un ticket Freshdesk", required=False, initial=True)

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if "{" in text and "}" in text:
            raise forms.ValidationError("La réponse contient encore un champ à compléter entre accolades.")
        return text


class CloseTaskForm(Form):
    outcome = forms.CharField(label="Issue du point interne", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    final_reply = forms.CharField(
        label="Réponse finale à la personne (facultatif)",
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="envoyée depuis Vigie par le chemin habituel des réponses",
    )


class FreshdeskForm(Form):
    domain = forms.CharField(
        label="Domaine Freshdesk",
        max_length=63,
        help_text="la partie avant .freshdesk.com (par exemple ahtma pour ahtma.freshdesk.com)",
    )
    api_key = forms.CharField(
        label="Clé d'API",
        max_length=200,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text="Freshdesk, « Paramètres du profil » : chiffrée dès l'enregistrement, jamais réaffichée.",
    )

    webhook_secret = forms.CharField(
        label="Secret du webhook",
        min_length=16,
        max_length=200,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text="une longue phrase secrète de votre choix (16 caractères au moins), à mettre aussi dans "
        "l'en-tête X-Vigie-Secret de la règle d'automatisation Freshdesk ; chiffrée, jamais réaffichée.",
    )

    def clean_domain(self):
        domain = self.cleaned_data["domain"].strip().lower().removeprefix("https://")
        domain = domain.removesuffix("/").removesuffix(".freshdesk.com")
        if not DOMAIN.fullmatch(domain):
            raise forms.ValidationError(
                "Le domaine ne contient que des lettres, des chiffres et des tirets (par exemple ahtma)."
            )
        return domain
