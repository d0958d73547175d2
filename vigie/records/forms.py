from django import forms

from vigie.accounts.people import PersonChoiceField, active_people
from vigie.crisis.detection import SIGNAL_LABELS
from vigie.crisis.models import Crisis
from vigie.lib.forms import Form
from vigie.records.models import Complaint, ImprovementAction
from vigie.vocabulary import LABELS, Platform

SIGNAL_CHOICES = list(SIGNAL_LABELS.items())
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PeriodForm(Form):
    platform = forms.ChoiceField(label="Plateforme", required=False, choices=[("", "Toutes"), *Platform.choices])
    date_from = forms.DateField(label="Du", required=False, widget=DATE)
    date_to = forms.DateField(label="Au", required=False, widget=DATE)

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError("La date de début est après la date de fin.")
        return data


class ComplaintFilterForm(PeriodForm):
    outcome = forms.ChoiceField(label="Suite", required=False, choices=[("", "Toutes"), *Complaint.Outcome.choices])
    q = forms.CharField(label="Rechercher", required=False, max_length=100)


MODERATION_KINDS = [
    ("", "Toutes"),
    ("hide", "Masquer"),
    ("unhide", "Afficher"),
    ("delete", "Supprimer"),
    ("block", "Bloquer"),
    ("report", "Signaler"),
]


class ModerationFilterForm(PeriodForm):
    verb = forms.ChoiceField(label="Action", required=False, choices=MODERATION_KINDS)


class CrisisFilterForm(PeriodForm):
    signal = forms.ChoiceField(label="Signal", required=False, choices=[("", "Tous"), *SIGNAL_CHOICES])
    status = forms.ChoiceField(label="Issue", required=False, choices=[("", "Toutes"), *Crisis.Status.choices])


class ComplaintForm(Form):
    subject = forms.CharField(label="Objet", max_length=300)
    answer = forms.CharField(label="Réponse apportée", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    outcome = forms.ChoiceField(label="Suite donnée", choices=Complaint.Outcome.choices)
    improvement = forms.CharField(
        label="Amélioration qu'elle a permise", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReportForm(Form):
    reference = forms.CharField(label="Référence du signalement", required=False, max_length=200)
    pharos_reference = forms.CharField(label="Numéro PHAROS (si signalé)", required=False, max_length=200)


class DrawForm(Form):
    month = forms.DateField(
        label="Mois contrôlé",
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        input_formats=["%Y-%m", "%Y-%m-%d"],
    )
    size = forms.IntegerField(label="Taille de l'échantillon", min_value=1, max_value=500, initial=30)


class ReviewForm(Form):
    label = forms.ChoiceField(label="Étiquette qui convient", choices=[("", "— choisir —"), *LABELS])
    action_ok = forms.TypedChoiceField(
        label="L'action menée était-elle la bonne ?",
        coerce=lambda v: v == "1",
        choices=[("1", "Oui"), ("0", "Non")],
        widget=forms.RadioSelect,
    )
    time_ok = forms.TypedChoiceField(
        label="Le délai de réponse était-il tenu ?",
        coerce=lambda v: v == "1",
        choices=[("1", "Oui"), ("0", "Non")],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(label="Commentaire", required=False, max_length=500)


class ImprovementForm(Form):
    title = forms.CharField(label="Ce qu'il faut faire", max_length=300)
    owner = PersonChoiceField(label="Responsable", queryset=active_people())
    due_on = forms.DateField(label="Échéance", widget=DATE)
    origin = forms.ChoiceField(label="Origine", choices=ImprovementAction.Origin.choices)
    origin_reference = forms.CharField(label="Référence (crise, réunion…)", required=False, max_length=200)
    complaint = forms.IntegerField(widget=forms.HiddenInput, required=False)
    sample = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ImprovementUpdateForm(Form):
    status = forms.ChoiceField(label="Statut", choices=ImprovementAction.Status.choices)
    evidence = forms.CharField(label="Preuve de réalisation", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    due_on = forms.DateField(label="Échéance", required=False, widget=DATE)


class RetentionForm(Form):
    days = forms.IntegerField(label="Durée (jours)", min_value=30, max_value=36_500)
    justification = forms.CharField(label="Justification", max_length=500)


class PersonSearchForm(Form):
    q = forms.CharField(label="Nom ou identifiant sur la plateforme", max_length=200, min_length=2)
