from django import forms

from vigie.lib.forms import Form


class RevisionForm(Form):
    text = forms.CharField(
        label="Texte de la procédure (Markdown)", widget=forms.Textarea(attrs={"rows": 24}), max_length=200_000
    )
    what = forms.CharField(label="Ce qui change", max_length=300)
    why = forms.CharField(label="Pourquoi", max_length=300)
