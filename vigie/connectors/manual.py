"""« Signaler à la plateforme » as a guided manual task (DESIGN §3).

No platform offers an API to report a comment, so Vigie hands the person what they need to do it by
hand: the way in (the comment's own link, or the platform's help page), a French checklist (evidence
first, what to choose in the form, what to note afterwards) and, for content that may be illegal, the
PHAROS link. Pure data and one function: recording the date and the reference comes with its model.
"""

PHAROS_URL = "https://www.internet-signalement.gouv.fr"

# platform → (name, help page on reporting content)
PLATFORMS = {
    "facebook": ("Facebook", "https://www.facebook.com/help/1380418588640631"),
    "linkedin": ("LinkedIn", "https://www.linkedin.com/help/linkedin/answer/37822"),
    "youtube": ("YouTube", "https://support.google.com/youtube/answer/2802027"),
}

# Where the report form opens, from the comment itself.
OPEN_THE_FORM = {
    "facebook": "Sur le commentaire, ouvrez le menu « … » puis choisissez « Signaler le commentaire ».",
    "linkedin": "Sur le commentaire, ouvrez le menu « … » puis choisissez « Signaler ».",
    "youtube": "À droite du commentaire, ouvrez le menu « ⋮ » puis choisissez « Signaler ».",
}

# What to choose in the form, by label (the platforms word their reasons a little differently).
REASONS = {
    "spam": "« Spam » (ou « Arnaque » / « Fraude » s'il s'agit d'une escroquerie)",
    "abuse": "« Harcèlement » ou « Discours haineux » selon le propos ; « Violence » ou « Menaces » pour une menace",
    "misinformation": "« Fausses informations »",
    "conflict": "« Harcèlement » ou « Intimidation » si le propos vise une personne",
}
ANY_REASON = "le motif qui décrit le mieux le manquement à la charte"

# Labels whose content may be illegal in France (insults, discrimination, defamation, threats…).
MAY_BE_ILLEGAL = frozenset({"abuse"})

TO_RECORD = ("la date et l'heure du signalement", "la référence du signalement donnée par la plateforme")


def report_task(platform: str, permalink: str, label: str) -> dict:
    """The manual "report to the platform" task for one comment: link, checklist, PHAROS if needed."""
    if platform not in PLATFORMS:
        raise ValueError(f"plateforme inconnue : {platform!r}")
    name, help_url = PLATFORMS[platform]
    pharos = PHAROS_URL if label in MAY_BE_ILLEGAL else None
    checklist = [
        "Capturez d'abord la preuve : une capture d'écran du commentaire avec le nom de son auteur, sa date et "
        "l'adresse de la page (le commentaire peut disparaître dès qu'il est signalé ou supprimé).",
        f"Ouvrez le commentaire sur {name} : {permalink}"
        if permalink
        else f"Retrouvez le commentaire sur {name} (pas de lien direct : cherchez-le sous la publication).",
        OPEN_THE_FORM[platform],
        f"Choisissez le motif : {REASONS.get(label, ANY_REASON)}. Ajoutez le contexte si le formulaire le propose.",
        f"Envoyez le signalement, puis notez {TO_RECORD[0]} et {TO_RECORD[1]} (accusé de réception, e-mail ou "
        "espace d'assistance).",
    ]
    if pharos:
        checklist.append(
            "Si le contenu est manifestement illicite (menace, incitation à la haine ou à la violence, "
            "discrimination, apologie du terrorisme, atteinte aux mineurs…), signalez-le aussi sur PHAROS : "
            f"{pharos} — et notez le numéro de signalement. En cas de danger immédiat, appelez le 17."
        )
    return {
        "title": f"Signaler le commentaire à {name}",
        "platform": platform,
        "link": permalink or help_url,
        "help_url": help_url,
        "checklist": checklist,
        "to_record": list(TO_RECORD),
        "pharos_url": pharos,
    }
