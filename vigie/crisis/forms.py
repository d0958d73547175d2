from dataclasses import fields
from datetime import timedelta

from django import forms

from vigie.accounts.people import PersonChoiceField, active_people
from vigie.crisis import detection, publications
from vigie.crisis.actions import REVIEW_DAYS
from vigie.ingestion.models import Channel
from vigie.lib.forms import Form
from vigie.records import improvements
from vigie.records.forms import DATE

# (label, help, min, max) of each threshold, in the order of the page
THRESHOLD_FIELDS = {
    "post_window_minutes": ("Fenêtre par publication (min)", "durée observée sur une même publication", 5, 240),
    "post_min_count": ("Messages négatifs minimum par publication", "", 2, 100),
    "page_window_minutes": ("Fenêtre sur la page (min)", "durée observée sur toute la page", 10, 720),
    "page_fast_min_count": (
        "Messages négatifs minimum sur la page, dans la fenêtre courte",
        "une vague qui démarre vite",
        2,
        500,
    ),
    "page_min_count": ("Messages négatifs minimum sur la page", "", 2, 500),
    "min_authors": ("Auteurs différents minimum", "une vague vient de plusieurs personnes", 1, 50),
    "min_negative_share": (
        "Part minimale de messages négatifs",
        "entre 0 et 1 : une publication virale et bienveillante n'alerte pas",
        0,
        1,
    ),
    "surprise": ("Improbabilité exigée", "probabilité maximale du volume observé au rythme habituel", 0.000001, 0.5),
    "page_burst": (
        "Messages par échange ordinaire, sur la page",
        "le compte habituel sur la page est pris autant de fois : un échange vif amène plusieurs messages négatifs",
        1,
        50,
    ),
    "usual_rate_floor": ("Rythme habituel minimum (messages négatifs / h)", "jamais moins, même la nuit", 0, 100),
    "new_page_rate": (
        "Rythme supposé d'une page nouvelle (messages négatifs / h)",
        "moins d'un jour d'historique",
        0,
        100,
    ),  # fmt: skip
    "learning_days": ("Historique appris (jours)", "rythme habituel par heure et jour de la semaine", 7, 180),
    "disinfo_window_hours": ("Fenêtre de la désinformation (h)", "", 1, 72),
    "disinfo_min_messages": ("Messages de désinformation minimum", "", 2, 100),
    "disinfo_min_authors": ("Auteurs différents minimum (désinformation)", "", 1, 50),
    "similarity": ("Ressemblance de deux messages (0 à 1)", "part des mots en commun pour « la même rumeur »", 0.1, 1),
    "staff_min_attacks": ("Attaques contre l'équipe pour alerter", "une attaque claire suffit", 1, 20),
    "join_hours": ("Une crise calme n'accueille plus de messages après (h)", "", 1, 720),
}


class SettingsForm(Form):
    webhook_url = forms.URLField(
        label="Webhook sortant (adresse)",
        required=False,
        assume_scheme="https",
        help_text="un outil de discussion ou d'alerte téléphonique ; vide : pas de webhook",
    )
    webhook_secret = forms.CharField(label="Secret du webhook", required=False, widget=forms.PasswordInput(),
                                     help_text="signature HMAC-SHA256 ; laissez vide pour garder l'actuel")  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        defaults = detection.Thresholds()
        for field in fields(detection.Thresholds):
            label, help_text, low, high = THRESHOLD_FIELDS[field.name]
            kind = forms.FloatField if isinstance(getattr(defaults, field.name), float) else forms.IntegerField
            self.fields[field.name] = kind(label=label, help_text=help_text, min_value=low, max_value=high)

    def thresholds(self) -> dict:
        return {field.name: self.cleaned_data[field.name] for field in fields(detection.Thresholds)}

    @classmethod
    def initial_from(cls, config) -> dict:
        return {**config.values().as_dict(), "webhook_url": config.webhook_url}


class ReasonForm(Form):
    reason = forms.CharField(label="Raison", widget=forms.Textarea(attrs={"rows": 2}))


class MergeForm(ReasonForm):
    into = forms.IntegerField(label="Fusionner dans la crise n°")


class CloseForm(Form):
    what_happened = forms.CharField(label="Ce qui s'est passé", widget=forms.Textarea(attrs={"rows": 3}))
    what_worked = forms.CharField(label="Ce qui a marché", widget=forms.Textarea(attrs={"rows": 3}))
    to_change = forms.CharField(
        label="Ce qu'il faut changer dans la procédure",
        help_text="un changement par ligne : chacun ouvre une action du plan d'amélioration",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    owner = PersonChoiceField(label="Responsable des actions", queryset=active_people())
    due_on = forms.DateField(label="Échéance des actions", widget=DATE)

    @classmethod
    def initial_for(cls, user) -> dict:
        return {"owner": user.pk, "due_on": improvements.today() + timedelta(days=REVIEW_DAYS)}


class StrategyForm(Form):
    decision = forms.CharField(label="Ce que nous faisons", widget=forms.Textarea(attrs={"rows": 4}))
    owners = forms.CharField(label="Qui fait quoi", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class StatementForm(Form):
    text = forms.CharField(label="Texte du communiqué", widget=forms.Textarea(attrs={"rows": 6}))


class PublishForm(Form):
    """How and where the approved statement goes: replies under the crisis's threads, a new post on each
    chosen page (only where the platform's API allows it), or both."""

    replies = forms.BooleanField(label="En réponse sous les fils de la crise", required=False, initial=True)
    posts = forms.BooleanField(label="En nouvelle publication sur les pages cochées", required=False)
    channels = forms.ModelMultipleChoiceField(label="Pages", queryset=Channel.objects.none(), required=False,
                                              widget=forms.CheckboxSelectMultiple)  # fmt: skip

    def __init__(self, *args, crisis, **kwargs):
        super().__init__(*args, **kwargs)
        own = set(crisis.links.values_list("message__channel_id", flat=True))
        postable = {c.pk for c in publications.post_channels()}
        field = self.fields["channels"]
        field.queryset = Channel.objects.filter(pk__in=own | postable).order_by("platform", "name")
        field.initial = sorted(own)
        uses = {pk: ", ".join(u for u, on in (("réponses", pk in own), ("publication", pk in postable)) if on)
                for pk in own | postable}  # fmt: skip
        field.label_from_instance = lambda c: f"{c.get_platform_display()} — {c.name} ({uses[c.pk]})"

    def clean(self):
        data = super().clean()
        if not data.get("replies") and not data.get("posts"):
            raise forms.ValidationError("Cochez au moins une façon de publier le communiqué.")
        if data.get("posts") and not data.get("channels"):
            raise forms.ValidationError("Cochez la ou les pages où publier le communiqué.")
        return data
