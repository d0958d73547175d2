"""The « Registre des traitements » entry (GDPR art. 30) for the desk, generated from what Vigie is set to
do: the channels it reads, the retention policy, the people who have access, and what it sends where."""

from django.contrib.auth import get_user_model

from vigie.accounts.people import name_of
from vigie.accounts.roles import CAPABILITIES, ROLE_LABELS, ROLES
from vigie.ingestion.models import Channel
from vigie.records import retention

PURPOSES = [
    "Répondre aux commentaires et messages privés reçus sur les pages du centre (information sur les formations, "
    "demandes personnalisées).",
    "Modérer les échanges selon la charte de modération (masquer, supprimer, bloquer, signaler) et garder la "
    "preuve de ce qui a été modéré.",
    "Traiter les réclamations et critiques, et en tirer des améliorations (démarche qualité Qualiopi).",
    "Détecter et gérer une crise de communication ; protéger les membres du personnel visés.",
]
DATA = [
    "Identité sur la plateforme : nom affiché, identifiant de compte, liens entre comptes établis par un admin.",
    "Contenu des commentaires et messages privés, dates, liens, modifications et suppressions.",
    "Ce que Vigie en déduit : étiquette, confiance, récidive, blocage ; notes internes de l'équipe.",
    "Preuves horodatées et scellées (SHA-256) des messages modérés.",
    "Pour l'équipe : identifiant, nom, rôle, actions réalisées (journal d'audit).",
]
PEOPLE = ["Personnes qui écrivent aux pages du centre (prospects, stagiaires, public).", "Membres de l'équipe."]
LEGAL_BASIS = (
    "Intérêt légitime du centre (art. 6.1.f du RGPD) : répondre au public et modérer ses pages ; "
    "obligation légale pour la conservation des preuves demandées par une autorité."
)
RECIPIENTS = [
    "Les plateformes (Meta, LinkedIn, Google) reçoivent les réponses et les actions de modération du centre.",
    "Autorités (PHAROS, police, justice) sur signalement ou réquisition.",
]
TRANSFERS = (
    "Les plateformes sont des sociétés établies hors de l'Union européenne (États-Unis, cadre de "
    "protection des données UE–États-Unis) ; Vigie elle-même stocke les données chez le centre."
)
SECURITY = [
    "Accès nominatif par rôle (community manager, communication, direction, administration), blocage après "
    "échecs de connexion.",
    "Jetons des plateformes chiffrés au repos ; journal d'audit en ajout seul ; preuves scellées par SHA-256.",
    "Durées de conservation appliquées chaque jour, simulation avant toute nouvelle règle, conservation légale "
    "respectée.",
]


RIGHTS = {
    "read_inbox": "lire les messages",
    "write_note": "notes internes",
    "handle_thread": "attribuer, changer le statut",
    "moderate": "masquer, supprimer, bloquer",
    "reply": "répondre",
    "approve_reply": "approuver les réponses",
    "read_audit": "journal d'audit",
    "manage_rules": "règles",
    "manage_ingestion": "collecte et envois",
    "manage_channels": "canaux",
    "manage_api_tokens": "jetons d'API",
    "read_registers": "tableaux de suivi",
    "keep_registers": "registre des réclamations",
    "run_control_plan": "plan de contrôle",
    "manage_procedure": "procédure",
    "manage_privacy": "données personnelles",
}


def access_by_role() -> list[dict]:
    users = get_user_model().objects.filter(is_active=True).prefetch_related("groups").order_by("username")
    rows = []
    for role in ROLES:
        holders = [name_of(u) for u in users if role in {g.name for g in u.groups.all()}]
        rights = [RIGHTS.get(name, name) for name, roles in CAPABILITIES.items() if role in roles]
        rows.append({"role": ROLE_LABELS[role], "people": holders, "rights": rights})
    return rows


def entry() -> dict:
    return {
        "name": "Veille et modération des réseaux sociaux (Vigie)",
        "purposes": PURPOSES,
        "legal_basis": LEGAL_BASIS,
        "people": PEOPLE,
        "data": DATA,
        "sources": [
            f"{c.get_platform_display()} : {c.name} ({c.get_status_display()})"
            for c in Channel.objects.order_by("platform", "name")
        ],
        "retention": [
            {"kind": p.get_kind_display(), "days": p.days, "mode": p.get_mode_display(), "why": p.justification}
            for p in retention.policies().values()
        ],
        "access": access_by_role(),
        "recipients": RECIPIENTS,
        "transfers": TRANSFERS,
        "security": SECURITY,
    }
