"""Vigie's words, each defined once: the procedure's labels, the platforms, the kinds of message, the
verbs of platform actions and the priorities. Every app takes them from here; this module imports nothing
of Vigie.

The values are what the database, the API, the rules and the import format say; the French names are
what the interface shows.
"""

from django.db import models


class Label(models.TextChoices):
    """How the procedure classifies a message (in its order)."""

    POSITIVE_NEUTRAL = "positive_neutral", "Positif ou neutre"
    QUESTION = "question", "Question"
    COMPLEX_REQUEST = "complex_request", "Demande complexe"
    CRITICISM = "criticism", "Critique constructive"
    SPAM = "spam", "Spam ou publicité"
    ABUSE = "abuse", "Propos injurieux"
    MISINFORMATION = "misinformation", "Fausse information"
    CONFLICT = "conflict", "Conflit ou polémique"


LABELS = Label.choices  # (value, French name)
LABEL_VALUES = tuple(Label.values)
INAPPROPRIATE = frozenset({Label.SPAM, Label.ABUSE, Label.MISINFORMATION, Label.CONFLICT})
# naming a member of staff, these open the crisis « attaque contre un membre de l'équipe »: insult or defamation
CRISIS_ATTACKS = frozenset({Label.ABUSE, Label.MISINFORMATION})


class Platform(models.TextChoices):
    FACEBOOK = "facebook", "Facebook"
    LINKEDIN = "linkedin", "LinkedIn"
    YOUTUBE = "youtube", "YouTube"


PLATFORMS = tuple(Platform.values)
PLATFORM_NAMES = dict(Platform.choices)


class Kind(models.TextChoices):
    """What the public writes to the centre."""

    COMMENT = "comment", "Commentaire"
    PRIVATE_MESSAGE = "private_message", "Message privé"


KINDS = tuple(Kind.values)


class Verb(models.TextChoices):
    """What Vigie asks a platform (or the helpdesk) to do: a platform action of the outbox."""

    REPLY = "reply", "Répondre"
    PRIVATE_REPLY = "private_reply", "Répondre en privé"
    HIDE = "hide", "Masquer"
    UNHIDE = "unhide", "Afficher"
    DELETE = "delete", "Supprimer"
    BLOCK = "block", "Bloquer"
    UNBLOCK = "unblock", "Débloquer"
    REPORT = "report", "Signaler"
    PUBLISH_POST = "publish_post", "Publier une publication"  # the crisis statement, as a new post
    # on the helpdesk (Freshdesk), for a complex request followed to the end (vigie/helpdesk)
    CREATE_TICKET = "create_ticket", "Créer le ticket"
    TICKET_NOTE = "ticket_note", "Note privée sur le ticket"
    RESOLVE_TICKET = "resolve_ticket", "Résoudre le ticket"


class Priority(models.IntegerChoices):
    NORMAL = 0, "Normale"
    HIGH = 1, "Haute"
    URGENT = 2, "Urgente"
    CRITICAL = 3, "Critique"


# priorities by name, as rules, the API and the procedure's playbooks say them
PRIORITY_NAMES = {"normal": Priority.NORMAL, "high": Priority.HIGH, "urgent": Priority.URGENT,
                  "critical": Priority.CRITICAL}  # fmt: skip
