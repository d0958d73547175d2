from django import forms

from vigie.lib.forms import Form
from vigie.planning import mapping as mappings
from vigie.planning.columns import Column
from vigie.planning.models import FIELDS


class TokenForm(Form):
    token = forms.CharField(
        label="Jeton d'API monday.com",
        max_length=4000,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text="Dans monday.com : votre photo, « Développeurs », « Mon jeton d'accès ». Il est chiffré dès "
        "l'enregistrement et ne sera plus jamais affiché.",
    )


class BoardChoiceForm(Form):
    board_id = forms.ChoiceField(label="Tableau", widget=forms.RadioSelect)

    def __init__(self, *args, boards: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["board_id"].choices = [(b["id"], b["name"]) for b in boards]


class MappingForm(Form):
    """One select per field of a planned post, offering the board's columns of a fitting type."""

    board_id = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, columns: list[Column], **kwargs):
        super().__init__(*args, **kwargs)
        self.columns = columns
        for name, label in FIELDS.items():
            choices = [("", "— aucune —"), *mappings.choices(name, columns)]
            self.fields[name] = forms.ChoiceField(label=label, choices=choices, required=False)

    def mapping(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in FIELDS if self.cleaned_data.get(name)}

    def clean(self):
        cleaned = super().clean()
        for name, error in mappings.errors(self.mapping(), self.columns).items():
            self.add_error(name if name in self.fields else None, error)
        return cleaned
