"""People as the interface names them: by their names, not their logins."""

from django import forms
from django.contrib.auth import get_user_model


def name_of(user, default: str = "") -> str:
    """« Camille Martin », or the login when no name is set, or `default` for nobody (Vigie itself)."""
    return (user.get_full_name() or user.get_username()) if user else default


def everyone():
    """Every account by name, those who left included (the audit log still names them)."""
    return get_user_model().objects.order_by("first_name", "last_name", "username")


def active_people():
    return everyone().filter(is_active=True)


def desk_people():
    """People who can be given an item."""
    return active_people().filter(groups__name__in=["community_manager", "communication", "admin"]).distinct()


class PersonChoiceField(forms.ModelChoiceField):
    """A person, shown by name; the empty choice is said in French (Django's own is « --------- »)."""

    def __init__(self, *args, empty_label="Choisir une personne", **kwargs):
        super().__init__(*args, empty_label=empty_label, **kwargs)

    def label_from_instance(self, obj):
        return name_of(obj)
