import re

from django import forms

from vigie.accounts.people import PersonChoiceField, desk_people
from vigie.inbox import queries
from vigie.inbox.actions import MODERATION_VERBS
from vigie.inbox.models import Item, Thread
from vigie.inbox.status import Status
from vigie.lib.forms import Form
from vigie.replies.models import ReplyTemplate
from vigie.sla import deadlines
from vigie.vocabulary import LABELS, PRIORITY_NAMES, Platform, Priority

STATUS_CHOICES = [
    (queries.STATUS_OPEN, "Ouverts (à traiter, en cours, escaladés)"),
    *[(s.value, s.label) for s in Status],
    (queries.STATUS_ALL, "Tous les statuts"),
]
SLA_CHOICES = [("", "Tous"), (deadlines.OVERDUE, "En retard"), (deadlines.DUE_SOON_STATE, "Échéance proche (< 4 h)"),
               (deadlines.ON_TIME, "Dans les temps"), (deadlines.MET, "Répondu à temps"),
               (deadlines.MISSED, "Répondu en retard")]  # fmt: skip
ORDER_CHOICES = [
    ("", "Les plus urgents"),
    (queries.ORDER_DUE, "Échéance la plus proche"),
    (queries.ORDER_UNSURE, "Étiquette la moins sûre"),
]
PRIORITY_CHOICES = [("", "Toutes"), *[(name, Priority(value).label) for name, value in PRIORITY_NAMES.items()]]


class FilterForm(Form):
    """The inbox's filters; the API reads the same parameters through this form."""

    platform = forms.ChoiceField(label="Plateforme", required=False, choices=[("", "Toutes"), *Platform.choices])
    kind = forms.ChoiceField(
        label="Type",
        required=False,
        choices=[("", "Tous"), ("comment", "Commentaires"), ("private_message", "Messages privés")],
    )
    status = forms.ChoiceField(label="Statut", required=False, choices=STATUS_CHOICES)
    assignee = forms.CharField(label="Attribué à", required=False)
    date_from = forms.DateField(label="Du", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label="Au", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    q = forms.CharField(label="Rechercher", required=False, max_length=200)
    label = forms.ChoiceField(label="Étiquette", required=False, choices=[("", "Toutes"), *LABELS])
    targets_staff = forms.BooleanField(label="Personnel visé seulement", required=False)
    priority = forms.ChoiceField(label="Priorité", required=False, choices=PRIORITY_CHOICES)
    sla = forms.ChoiceField(label="Délai de réponse", required=False, choices=SLA_CHOICES)
    order = forms.ChoiceField(label="Trier par", required=False, choices=ORDER_CHOICES)
    uncertain = forms.BooleanField(label="À vérifier seulement (tri incertain, attaque possible)", required=False)

    def clean_assignee(self):
        value = self.cleaned_data["assignee"].strip()
        if value in ("", queries.ASSIGNEE_ME, queries.ASSIGNEE_NOBODY) or re.fullmatch("[0-9]{1,18}", value):
            return value
        raise forms.ValidationError("Valeur inconnue : « me », « none » ou un identifiant d'utilisateur.")

    def filters(self) -> queries.Filters:
        data = self.cleaned_data
        return queries.Filters(
            platform=data.get("platform", ""),
            kind=data.get("kind", ""),
            status=data.get("status") or queries.STATUS_OPEN,
            assignee=data.get("assignee", ""),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            q=data.get("q", "").strip(),
            label=data.get("label", ""),
            targets_staff=bool(data.get("targets_staff")),
            priority=data.get("priority", ""),
            sla=data.get("sla", ""),
            order=data.get("order", ""),
            uncertain=bool(data.get("uncertain")),
        )


class AssignForm(Form):
    assignee = PersonChoiceField(label="Attribuer à", queryset=None, required=False, empty_label="Personne")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = desk_people()


class StatusForm(Form):
    status = forms.ChoiceField(label="Statut", choices=Status.choices)


class NoteForm(Form):
    text = forms.CharField(label="Note interne", widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)


class ReplyForm(Form):
    text = forms.CharField(label="Répondre", widget=forms.Textarea(attrs={"rows": 4}), max_length=8000)
    in_reply_to = forms.IntegerField(required=False, widget=forms.HiddenInput)
    template = forms.ModelChoiceField(queryset=ReplyTemplate.objects.filter(active=True), required=False)
    sensitive = forms.BooleanField(label="Réponse sensible : la faire approuver avant l'envoi", required=False)

    def __init__(self, *args, thread: Thread | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.thread = thread

    def clean_in_reply_to(self):
        pk = self.cleaned_data.get("in_reply_to")
        if pk is None:
            return None
        message = self.thread.messages.filter(pk=pk).first() if self.thread else None
        if message is None:
            raise forms.ValidationError("Ce message n'appartient pas à ce fil.")
        return message


class BulkForm(Form):
    """Mark done, assign or label the selected items at once."""

    UNASSIGN = "none"

    items = forms.ModelMultipleChoiceField(queryset=Item.objects.all(), error_messages={
        "required": "Sélectionnez au moins un élément.", "invalid_choice": "Un élément choisi n'existe plus.",
        "invalid_pk_value": "Sélection invalide."})  # fmt: skip
    status = forms.ChoiceField(label="Statut", required=False, choices=[("", "—"), *Status.choices])
    assignee = forms.CharField(label="Attribuer à", required=False)
    label = forms.ChoiceField(label="Étiquette", required=False, choices=[("", "—"), *LABELS])

    def clean_assignee(self):
        value = self.cleaned_data["assignee"].strip()
        if not value or value == self.UNASSIGN:
            return value
        person = desk_people().filter(pk=int(value)).first() if value.isdigit() and len(value) < 12 else None
        if person is None:
            raise forms.ValidationError("Cette personne ne peut pas recevoir d'éléments.")
        return person

    def clean(self):
        data = super().clean()
        if not (data.get("status") or data.get("assignee") or data.get("label")):
            raise forms.ValidationError("Choisissez ce qu'il faut faire des éléments sélectionnés.")
        data["unassign"] = data.get("assignee") == self.UNASSIGN
        if data["unassign"] or not data.get("assignee"):
            data["assignee"] = None
        return data


class ModerateForm(Form):
    verb = forms.ChoiceField(choices=list(MODERATION_VERBS.items()))


class ApproveForm(Form):
    text = forms.CharField(label="Texte approuvé", widget=forms.Textarea(attrs={"rows": 3}), max_length=8000)


class RejectForm(Form):
    reason = forms.CharField(label="Motif du refus", max_length=300)


class CorrectLabelForm(Form):
    label = forms.ChoiceField(label="Corriger l'étiquette", choices=LABELS)


class StaffTargetForm(Form):
    targeted = forms.TypedChoiceField(
        label="Personnel visé", choices=[("oui", "Oui"), ("non", "Non")], coerce=lambda value: value == "oui"
    )
