from django import forms

from vigie.lib.forms import ModelForm
from vigie.replies.models import Charter, ReplyTemplate, Source
from vigie.replies.render import PLACEHOLDERS, placeholders_in


class TemplateForm(ModelForm):
    class Meta:
        model = ReplyTemplate
        fields = ["title", "label", "platform", "kind", "body", "sensitive", "active"]
        labels = {
            "title": "Titre", "label": "Étiquette", "platform": "Plateforme", "kind": "Type de message",
            "body": "Texte", "sensitive": "À faire approuver par la chargée de communication", "active": "En service",
        }  # fmt: skip
        help_texts = {
            "body": "Champs possibles : " + ", ".join(f"{{{n}}} ({what})" for n, what in PLACEHOLDERS.items())
        }
        widgets = {"body": forms.Textarea(attrs={"rows": 5})}

    def clean_body(self):
        body = self.cleaned_data["body"]
        unknown = placeholders_in(body) - set(PLACEHOLDERS)
        if unknown:
            raise forms.ValidationError("Champ inconnu : " + ", ".join(f"{{{n}}}" for n in sorted(unknown)) + ".")
        return body


class CharterForm(ModelForm):
    class Meta:
        model = Charter
        fields = ["version", "url", "text"]
        labels = {"version": "Version", "url": "Lien public", "text": "Texte de la charte"}
        widgets = {"text": forms.Textarea(attrs={"rows": 10})}


class SourceForm(ModelForm):
    class Meta:
        model = Source
        fields = ["title", "url", "summary", "keywords"]
        labels = {
            "title": "Titre", "url": "Lien", "summary": "Résumé", "keywords": "Mots-clés (séparés par des virgules)",
        }  # fmt: skip
        widgets = {"summary": forms.Textarea(attrs={"rows": 3})}
