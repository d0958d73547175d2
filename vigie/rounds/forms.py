from django import forms

from vigie.lib.forms import Form
from vigie.rounds.models import Round, RoundWindow, Slot
from vigie.sla.models import ClockSettings

DAYS = [("0", "Lundi"), ("1", "Mardi"), ("2", "Mercredi"), ("3", "Jeudi"), ("4", "Vendredi"), ("5", "Samedi"),
        ("6", "Dimanche")]  # fmt: skip


class SignOffForm(Form):
    left_open_reason = forms.CharField(
        label="Ce qui reste ouvert, et pourquoi", required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip
    urgent_reason = forms.CharField(
        label="Éléments urgents non traités : pourquoi signer quand même", required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip


STATES = [("", "Tous"), (Round.Status.DONE, "Signés"), (Round.Status.MISSED, "Manqués"),
          (Round.Status.STARTED, "En cours")]  # fmt: skip


class HistoryForm(Form):
    date_from = forms.DateField(label="Du", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label="Au", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    slot = forms.ChoiceField(label="Tour", required=False, choices=[("", "Tous"), *Slot.choices])
    status = forms.ChoiceField(label="État", required=False, choices=STATES)

    def criteria(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {key: data.get(key) or None for key in ("date_from", "date_to")} | {
            key: data.get(key, "") for key in ("slot", "status")
        }


class ClockSettingsForm(forms.ModelForm):
    work_days = forms.MultipleChoiceField(label="Jours travaillés", choices=DAYS, widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = ClockSettings
        fields = ["work_days", "opens_at", "closes_at", "public_holidays", "reply_hours", "counting", "human_agent"]
        labels = {
            "opens_at": "Ouverture du desk",
            "closes_at": "Fermeture du desk",
            "public_holidays": "Jours fériés français chômés",
            "reply_hours": "Délai de réponse aux messages privés (heures)",
            "counting": "Le délai se compte en",
            "human_agent": "L'application Facebook a la permission « agent humain »",
        }
        widgets = {
            "opens_at": forms.TimeInput(attrs={"type": "time"}),
            "closes_at": forms.TimeInput(attrs={"type": "time"}),
        }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.initial["work_days"] = sorted(str(d) for d in self.instance.work_day_numbers)

    def clean_work_days(self):
        return ",".join(sorted(self.cleaned_data["work_days"]))

    def clean_reply_hours(self):
        hours = self.cleaned_data["reply_hours"]
        if not 1 <= hours <= 240:
            raise forms.ValidationError("Entre 1 et 240 heures.")
        return hours

    def clean(self):
        data = super().clean()
        if data.get("opens_at") and data.get("closes_at") and data["opens_at"] >= data["closes_at"]:
            raise forms.ValidationError("L'heure de fermeture doit suivre l'heure d'ouverture.")
        return data


class WindowForm(forms.ModelForm):
    class Meta:
        model = RoundWindow
        fields = ["starts_at", "ends_at", "active"]
        labels = {"starts_at": "Début", "ends_at": "Fin", "active": "Actif"}
        widgets = {
            "starts_at": forms.TimeInput(attrs={"type": "time"}),
            "ends_at": forms.TimeInput(attrs={"type": "time"}),
        }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["starts_at"] >= data["ends_at"]:
            raise forms.ValidationError("La fin du tour doit suivre son début.")
        return data
