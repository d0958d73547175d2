"""The default playbook of DESIGN §2 as data: what Vigie proposes for each label, and how urgent it is.

Action names are short and stable: the rules engine and the moderation outbox refer to them.
`plan()` is pure: label, kind, targets_staff and severity in, priority and actions out.
"""

from dataclasses import dataclass

PRIORITIES = ("low", "normal", "high", "urgent")
INAPPROPRIATE = frozenset({"spam", "abuse", "misinformation", "conflict"})

ACTIONS = {
    "reply_kindly": "répondre avec bienveillance et inviter à l'échange",
    "reply_template": "répondre avec un modèle de réponse (lien vers le site ou contact)",
    "holding_reply": "réponse d'attente rappelant le délai de traitement",
    "internal_review": "faire le point en interne (tâche avec échéance)",
    "diplomatic_reply": "réponse diplomatique et argumentée proposant une solution",
    "log_complaint": "inscrire au registre des réclamations",
    "delete": "supprimer",
    "capture_evidence": "conserver une preuve avant toute action",
    "report_platform": "signaler à la plateforme (PHAROS si contenu illicite)",
    "notify_internal": "prévenir en interne (direction, chargée de communication)",
    "reply_with_source": "répondre avec une source fiable",
    "refocus_reply": "recentrer l'échange en rappelant la charte",
    "no_reply": "ne pas répondre",
    "block": "bloquer l'auteur",
}

# What answers the person, and what the procedure does instead of answering (« supprimer sans réponse »,
# « ne pas répondre »).
REPLIES = frozenset({"reply_kindly", "reply_template", "holding_reply", "diplomatic_reply", "reply_with_source",
                     "refocus_reply"})  # fmt: skip
INSTEAD_OF_REPLYING = frozenset({"no_reply", "delete"})

# Comments and other public items.
PUBLIC = {
    "positive_neutral": ("low", ["reply_kindly"]),
    "question": ("normal", ["reply_template"]),
    "complex_request": ("normal", ["holding_reply", "internal_review"]),
    "criticism": ("normal", ["diplomatic_reply", "log_complaint"]),
    "spam": ("normal", ["delete"]),
    "abuse": ("high", ["capture_evidence", "delete"]),
    "misinformation": ("normal", ["reply_with_source"]),
    "conflict": ("normal", ["refocus_reply"]),
}
# Private messages: information requests are answered within 24 h; inappropriate ones get no reply.
PRIVATE = {
    "positive_neutral": ("low", ["reply_kindly"]),
    "question": ("high", ["reply_template"]),
    "complex_request": ("high", ["holding_reply", "internal_review"]),
    "criticism": ("normal", ["diplomatic_reply", "log_complaint"]),
    "spam": ("normal", ["no_reply", "block"]),
    "abuse": ("high", ["capture_evidence", "no_reply", "block"]),
    "misinformation": ("normal", ["no_reply"]),
    "conflict": ("normal", ["no_reply"]),
}

# The procedure's « en cas de récidive » branch exists for spam (block) and abuse (block, tell the team) only:
# a second polemic or piece of misinformation is answered as the first one was, its author is not blocked.
ON_REPEAT = {"spam": ("block",), "abuse": ("block", "notify_internal")}


@dataclass(frozen=True)
class Plan:
    priority: str
    actions: list[str]


def raise_to(priority: str, floor: str) -> str:
    return max(priority, floor, key=PRIORITIES.index)


def plan(label: str, kind: str = "comment", targets_staff: bool = False, severe: bool = False) -> Plan:
    """Priority and proposed actions for one classified item.

    `severe` (threats, discrimination) adds the report to the platform and tells the team; an attack on
    staff is urgent, is always notified internally and its evidence is kept. (A first ordinary insult is
    deleted without telling anyone: the procedure notifies on repeat, which the policy adds.)
    """
    table = PRIVATE if kind == "private_message" else PUBLIC
    priority, actions = table[label]
    actions = list(actions)
    if label == "abuse" and severe:
        priority = "urgent"
        actions += [name for name in ("report_platform", "notify_internal") if name not in actions]
    if targets_staff and label != "positive_neutral":
        priority = "urgent" if label in INAPPROPRIATE else raise_to(priority, "high")
        if "capture_evidence" not in actions:
            actions.insert(0, "capture_evidence")
        if "notify_internal" not in actions:
            actions.append("notify_internal")
    return Plan(priority, actions)
