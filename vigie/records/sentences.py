"""The audit log read as French sentences (« Camille Durand a répondu à Chloé Rousseau »), not codes.

`describe(events)` gives each event of a page its sentence; the objects it names (messages, items,
threads, outbox actions) are looked up once for the whole page. The code stays in the CSV export.
"""

from collections import defaultdict

from django.contrib.auth import get_user_model

from vigie.accounts.people import name_of
from vigie.audit.record import SYSTEM

# verb → what the actor did, with {objet} the thing it was done to (sentences without {qui} have no actor)
PHRASES = {
    "item.assigned": "{qui} a changé l'attribution du {objet}",
    "item.status_changed": "{qui} a changé le statut du {objet}",
    "item.priority_changed": "{qui} a changé la priorité du {objet}",
    "item.note_added": "{qui} a ajouté une note interne au {objet}",
    "item.reopened": "Le {objet} est revenu à traiter",
    "thread.reply_queued": "{qui} a répondu {destinataire}",
    "thread.reply_awaiting_approval": "{qui} a proposé une réponse {destinataire}, à approuver",
    "thread.reply_approved": "{qui} a approuvé la réponse {destinataire}",
    "thread.reply_rejected": "{qui} a refusé la réponse {destinataire}",
    "message.hide_queued": "{qui} a demandé de masquer le {objet}",
    "message.unhide_queued": "{qui} a demandé d'afficher de nouveau le {objet}",
    "message.delete_queued": "{qui} a demandé de supprimer le {objet}",
    "message.block_queued": "{qui} a demandé de bloquer l'auteur du {objet}",
    "message.unblock_queued": "{qui} a demandé de débloquer l'auteur du {objet}",
    "message.evidence_captured": "{qui} a capturé une preuve du {objet}",
    "message.label_confirmed": "{qui} a confirmé l'étiquette du {objet}",
    "message.label_corrected": "{qui} a corrigé l'étiquette du {objet}",
    "message.staff_target_corrected": "{qui} a corrigé « personnel visé » sur le {objet}",
    "message.removed": "Le {objet} a été supprimé",
    "message.edited": "Le {objet} a été modifié par son auteur",
    "message.hidden": "Le {objet} a été masqué sur la plateforme",
    "message.unhidden": "Le {objet} est de nouveau visible sur la plateforme",
    "platform_action.done": "La plateforme a exécuté la demande sur le {objet}",
    "platform_action.failed": "La plateforme a refusé la demande sur le {objet}",
    "platform_action.cancelled": "{qui} a annulé sa demande sur le {objet}",
    "platform_action.retried": "{qui} a relancé l'envoi sur le {objet}",
    "raw_event.retried": "{qui} a relancé le traitement d'un événement reçu",
    "author.linked": "{qui} a relié plusieurs comptes à une même personne",
    "channel.connected": "{qui} a connecté un canal",
    "channel.disconnected": "{qui} a déconnecté un canal",
    "channel.poll_requested": "{qui} a demandé une relève du canal",
    "rule.created": "{qui} a créé une règle",
    "rule.saved": "{qui} a modifié une règle",
    "api_token.created": "{qui} a créé un jeton d'API",
    "api_token.revoked": "{qui} a révoqué un jeton d'API",
    "item.holding_reply": "{qui} a envoyé une réponse d'attente au {objet}",
    "task.created": "{qui} a créé une tâche de suivi",
    "task.closed": "{qui} a terminé une tâche de suivi",
    "ticket.requested": "{qui} a demandé un ticket Freshdesk",
    "ticket.created": "Freshdesk a créé le ticket",
    "ticket.failed": "Freshdesk n'a pas créé le ticket",
    "ticket.resolve_requested": "{qui} a demandé la résolution du ticket Freshdesk",
    "ticket.status_changed": "Le statut du ticket Freshdesk a changé",
    "helpdesk.connected": "{qui} a connecté Freshdesk",
    "helpdesk.disconnected": "{qui} a déconnecté Freshdesk",
    "reply_template.created": "{qui} a créé un modèle de réponse",
    "reply_template.changed": "{qui} a modifié un modèle de réponse",
    "charter.published": "{qui} a publié une version de la charte de modération",
    "source.created": "{qui} a ajouté une source fiable",
    "source.changed": "{qui} a modifié une source fiable",
    "source.deleted": "{qui} a retiré une source fiable",
    "complaint.logged": "{qui} a inscrit le {objet} au registre des réclamations",
    "complaint.updated": "{qui} a mis à jour une réclamation",
    "improvement.opened": "{qui} a ouvert une action d'amélioration",
    "improvement.updated": "{qui} a mis à jour une action d'amélioration",
    "message.reported": "{qui} a noté le signalement du {objet} à la plateforme",
    "privacy.erased": "{qui} a effacé les données d'une personne",
    "privacy.exported": "{qui} a exporté les données d'une personne",
    "privacy.hold_set": "{qui} a placé une conservation légale",
    "privacy.hold_released": "{qui} a levé une conservation légale",
    "procedure.revised": "{qui} a publié une révision de la procédure",
    "quality.drawn": "{qui} a tiré l'échantillon du contrôle qualité",
    "quality.completed": "{qui} a terminé un contrôle qualité",
    "retention.dry_run": "Simulation de la durée de conservation",
    "retention.applied": "Durée de conservation appliquée",
    "retention.policy_changed": "{qui} a changé une durée de conservation",
    "planning.board_connected": "{qui} a connecté le tableau de planning monday.com",
    "planning.board_disconnected": "{qui} a déconnecté le tableau de planning monday.com",
    "planning.sync_requested": "{qui} a demandé une relecture du planning",
    "planned_post.linked": "Une publication planifiée a été reliée à sa publication",
    "planned_post.match_confirmed": "{qui} a confirmé la publication d'une publication planifiée",
    "planned_post.match_rejected": "{qui} a écarté une publication suggérée pour le planning",
    "round.started": "{qui} a commencé un tour de veille",
    "round.signed": "{qui} a signé un tour de veille",
    "round.missed": "Un tour de veille a été manqué",
    "clock.settings_changed": "{qui} a changé le calendrier et les délais",
    "thread.reply_seen": "Une réponse de la Page envoyée d'un autre outil a été vue {destinataire}",
    "crisis.opened": "Vigie a ouvert une crise",
    "crisis.settings": "{qui} a changé les réglages de la détection de crise",
    "crisis.escalated": "{qui} a escaladé une crise",
    "crisis.dismissed": "{qui} a classé une crise comme fausse alerte",
    "crisis.merged": "{qui} a fusionné deux crises",
    "crisis.closed": "{qui} a clos une crise",
    "crisis.strategy": "{qui} a décidé de la stratégie d'une crise",
    "crisis.statement_drafted": "{qui} a rédigé un communiqué de crise",
    "crisis.statement_approved": "{qui} a approuvé un communiqué de crise",
    "crisis.statement_published": "{qui} a publié un communiqué de crise",
    "triage.model_installed": "Le modèle de tri appris des corrections a été mis en service",
    "triage.model_refused": "Le modèle de tri appris des corrections n'a pas été mis en service (il ferait moins bien)",
    "login.failed": "Connexion refusée",
    "login.locked_out": "Connexions bloquées après trop d'échecs",
    "login.unlocked": "{qui} a débloqué les connexions",
}


def verbs_matching(words: str) -> list[str]:
    """The verbs whose sentence (or code, for the CSV's readers) contains `words`, case and accents aside."""
    from vigie.replies.render import words_of

    wanted = words_of(words) or {words.casefold()}
    return [verb for verb, phrase in PHRASES.items()
            if all(any(w in found for found in words_of(phrase) | {verb}) for w in wanted)]  # fmt: skip


def describe(events) -> list:
    """The events, each with `.sentence` (French) and `.who` (a person's name, a rule, or Vigie)."""
    events = list(events)
    names = _objects(events)
    people = _people(events)
    for event in events:
        event.who = _who(event, people)
        event.sentence = _sentence(event, names)
    return events


def _who(event, people: dict) -> str:
    if event.actor_id:
        return people.get(event.actor_id) or event.actor_label
    if event.actor_label and event.actor_label != SYSTEM:
        return f"la règle « {event.actor_label} »"
    return "Vigie"


def _sentence(event, names: dict) -> str:
    phrase = PHRASES.get(event.verb)
    if phrase is None:
        return f"{event.who} : {event.summary or event.verb}"
    objet, destinataire = names.get((event.target_type, event.target_id), ("élément", ""))
    reply_to = names.get(("reply", str((event.after or {}).get("message_id", ""))), ("", ""))[1] or destinataire
    text = phrase.format(qui=event.who, objet=objet, destinataire=reply_to or "sur une publication")
    return text[0].upper() + text[1:]


def _people(events) -> dict[int, str]:
    ids = {event.actor_id for event in events if event.actor_id}
    users = get_user_model().objects.filter(pk__in=ids)
    return {user.pk: name_of(user) for user in users}


def _objects(events) -> dict[tuple[str, str], tuple[str, str]]:
    """(type, id) → (how the object is named, « à <author> » for what a reply answers)."""
    from vigie.inbox.models import Item, Message
    from vigie.moderation.models import PlatformAction

    wanted: dict[str, set[str]] = defaultdict(set)
    for event in events:
        wanted[event.target_type].add(event.target_id)
        if (event.after or {}).get("message_id"):
            wanted["reply"].add(str(event.after["message_id"]))
    names: dict[tuple[str, str], tuple[str, str]] = {}
    messages = Message.objects.filter(pk__in=_ints(wanted["message"])).select_related("author")
    for message in messages:
        names[("message", str(message.pk))] = _message_name(message)
    for item in Item.objects.filter(pk__in=_ints(wanted["item"])).select_related("message__author"):
        names[("item", str(item.pk))] = _message_name(item.message)
    for pk in _ints(wanted["thread"]):  # a thread is named « fil »: no need to read it
        names[("thread", str(pk))] = ("fil", "")
    replies = Message.objects.filter(pk__in=_ints(wanted["reply"])).select_related("parent__author", "thread__post")
    for reply in replies:
        names[("reply", str(reply.pk))] = ("", _recipient(reply))
    actions = PlatformAction.objects.filter(pk__in=_ints(wanted["platformaction"])).select_related(
        "target_message__author"
    )
    for action in actions:
        target = action.target_message
        names[("platformaction", str(action.pk))] = _message_name(target) if target else ("message", "")
    return names


def _message_name(message) -> tuple[str, str]:
    author = message.author.display_name if message.author else ""
    kind = "message privé" if message.kind == "private_message" else "commentaire"
    return (f"{kind} de {author}" if author else kind, f"à {author}" if author else "")


def _recipient(reply) -> str:
    if reply.parent_id and reply.parent.author:
        return f"à {reply.parent.author.display_name}"
    if reply.thread.post_id:
        return f"sous la publication « {str(reply.thread.post)[:40]} »"
    return ""


def _ints(values) -> list[int]:
    return [int(v) for v in values if str(v).isdigit() and len(str(v)) < 19]
