"""The API's query parameters: one serializer per list states them, for the OpenAPI schema (drf-spectacular
turns its fields into parameters with their types, ranges, formats, patterns and enums) and for the check of
each request. A value is taken only in the form the schema gives, and a name only if the schema has it:
junk, or a misspelt filter, is a 400 that names the parameter."""

import re
from datetime import date

from django.core.validators import RegexValidator
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from vigie.inbox import queries
from vigie.inbox.forms import FilterForm
from vigie.lib import keyset

MAX_LIMIT = 200
DIGITS = re.compile(r"[0-9]+")
DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class Integer(serializers.IntegerField):
    """ASCII digits only: Python's int() would also take « ² », « 1_0 », « 5.0 » or spaces."""

    def to_internal_value(self, data):
        if not (isinstance(data, str) and DIGITS.fullmatch(data)):
            self.fail("invalid")
        return super().to_internal_value(data)


class Boolean(serializers.BooleanField):
    """`true` or `false`, as the schema's boolean is written in a query."""

    VALUES = {"true": True, "false": False}

    def to_internal_value(self, data):
        if data not in self.VALUES:
            self.fail("invalid", input=data)
        return self.VALUES[data]


class Date(serializers.DateField):
    """A full date, YYYY-MM-DD (the schema's `format: date`), nothing else Python would read."""

    def to_internal_value(self, value):
        if not (isinstance(value, str) and DAY.fullmatch(value)):
            self.fail("invalid", format="AAAA-MM-JJ")
        try:
            return date.fromisoformat(value)
        except ValueError:
            self.fail("invalid", format="AAAA-MM-JJ")


def text(**kwargs) -> serializers.CharField:
    """A string taken as sent (no trimming): its pattern is checked on what the schema sees."""
    return serializers.CharField(required=False, trim_whitespace=False, **kwargs)


def cursor(order: tuple[str, ...]) -> serializers.CharField:
    return text(
        validators=[RegexValidator(keyset.cursor_regex(len(order)), "Curseur de pagination invalide.")],
        help_text="la valeur `next` de la page précédente, telle quelle",
    )


def _choices(name: str) -> list[tuple[str, str]]:
    """The inbox filter's values and their French names, without its empty « all » choice."""
    return [(value, label) for value, label in FilterForm.base_fields[name].choices if value]


def _choice(name: str, help_text: str = "") -> serializers.ChoiceField:
    return serializers.ChoiceField(choices=_choices(name), required=False, help_text=help_text)


class PageQuery(serializers.Serializer):
    limit = Integer(required=False, default=50, min_value=1, max_value=MAX_LIMIT, help_text="taille de la page")


class InboxQuery(PageQuery):
    """The inbox's filters (`FilterForm`), as the API takes them."""

    platform = _choice("platform")
    kind = _choice("kind")
    status = serializers.ChoiceField(
        choices=_choices("status"), required=False, default=queries.STATUS_ALL,
        help_text="all (défaut), open (à traiter, en cours, escaladés) ou un statut",
    )  # fmt: skip
    assignee = text(
        validators=[RegexValidator(r"^(?:me|none|[0-9]{1,18})\Z", "« me », « none » ou un identifiant attendu.")],
        help_text="me, none, ou l'identifiant d'un utilisateur",
    )
    date_from = Date(required=False, help_text="à partir de ce jour (heure de Paris)")
    date_to = Date(required=False, help_text="jusqu'à ce jour inclus (heure de Paris)")
    q = text(
        max_length=200,
        allow_blank=True,
        validators=[RegexValidator(r"^[^\x00]+\Z", "Caractère nul interdit.")],
        help_text="recherche plein texte (tous les mots)",
    )
    label = _choice("label", "étiquette (après correction)")
    targets_staff = Boolean(required=False, help_text="seulement les messages qui visent le personnel")
    priority = _choice("priority", "priorité de l'élément")
    sla = _choice("sla", "où en est le délai de réponse")
    uncertain = Boolean(
        required=False,
        help_text="seulement les messages à vérifier, que personne n'a vérifiés : tri incertain, ou mention négative "
        "du personnel que le modèle n'a pas prise pour une attaque",
    )

    def filters(self) -> queries.Filters:
        data = self.validated_data
        return queries.Filters(**{name: data[name] for name in FILTERS if name in data})


FILTERS = [name for name in InboxQuery._declared_fields if name not in PageQuery._declared_fields]


def query_of(order: tuple[str, ...], base: type[serializers.Serializer] = PageQuery) -> type[serializers.Serializer]:
    """`base` with the `cursor` of a list in `order`."""
    return type(f"{base.__name__}By{len(order)}", (base,), {"cursor": cursor(order)})


def read(serializer_class: type[serializers.Serializer], request) -> serializers.Serializer:
    """The request's query, checked; a 400 naming each bad parameter otherwise. A plain dict (the last value
    of each name), not the QueryDict: DRF would read that as an HTML form, where empty means absent."""
    data = dict(request.query_params.items())
    query = serializer_class(data=data)
    unknown = {name: ["Paramètre inconnu."] for name in data if name not in query.fields}
    if unknown:
        raise ValidationError(unknown)
    if not query.is_valid():
        raise ValidationError(query.errors)
    return query
