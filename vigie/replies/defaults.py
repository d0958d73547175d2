"""A first set of reply templates, a charter and reliable sources, so a new desk is usable at once.

Installed by `vigie demo`; on a production desk an admin edits them in the admin site."""

from django.db import transaction
from django.utils import timezone

from vigie.replies.models import Charter, ReplyTemplate, Source

TEMPLATES = [
    ("positive_neutral", "Remerciement chaleureux", False,
     "Merci beaucoup {prenom} pour votre message ! Toute l'équipe d'AHTMA Formation est ravie de vous lire. "
     "Qu'avez-vous retenu de plus utile pour votre pratique ?"),
    ("positive_neutral", "Merci et invitation", False,
     "Merci {prenom} ! Si le sujet vous intéresse, nos prochaines dates de formation sont sur {lien_site}."),
    ("question", "Dates et tarifs", False,
     "Bonjour {prenom}, merci pour votre question. Les dates, le programme et les tarifs de la formation "
     "{formation} sont détaillés sur {lien_site}. Nous restons disponibles en message privé pour toute précision."),
    ("question", "Financement (CPF, OPCO, France Travail)", False,
     "Bonjour {prenom}, la formation {formation} peut être financée selon votre situation (CPF, OPCO, "
     "France Travail…). Écrivez-nous en message privé avec votre statut : nous vous répondons sous 24 heures."),
    ("complex_request", "Réponse d'attente", False,
     "Bonjour {prenom}, merci pour votre message. Votre demande mérite une réponse précise : nous faisons le point "
     "en interne et revenons vers vous {delai}."),
    ("criticism", "Critique : reconnaître et proposer", True,
     "Bonjour {prenom}, merci d'avoir pris le temps de nous faire ce retour. Vous avez raison de le signaler et "
     "nous en tenons compte. Pouvez-vous nous écrire en message privé pour que nous trouvions ensemble une solution ?"),
    ("misinformation", "Rectifier avec une source", True,
     "Bonjour {prenom}, cette information est inexacte. Vous trouverez une source fiable ici : {source}. "
     "Nous restons à votre disposition pour en discuter sereinement."),
    ("conflict", "Recentrer sur le sujet", False,
     "Bonjour à toutes et à tous, merci pour vos échanges. Recentrons la discussion sur le sujet de la publication, "
     "dans le respect de chacun."),
    ("conflict", "Clore en rappelant la charte", True,
     "Nous clôturons cet échange, devenu trop vif. Merci de respecter notre charte de modération : {lien_charte}"),
]  # fmt: skip

SOURCES = [
    ("Inserm : évaluation de l'efficacité de la pratique de l'hypnose (2015)",
     "https://www.inserm.fr/rapport/evaluation-de-lefficacite-de-la-pratique-de-lhypnose-2015/", "hypnose, efficacité"),
    ("France Compétences : Répertoire national des certifications professionnelles",
     "https://www.francecompetences.fr/recherche_certificationprofessionnelle/", "certification, diplôme, RNCP"),
    ("Ministère du Travail : la certification Qualiopi",
     "https://travail-emploi.gouv.fr/qualiopi-marque-de-certification-qualite-des-prestataires-de-formation",
     "qualiopi, qualité"),
]  # fmt: skip


@transaction.atomic
def install() -> int:
    """Install what is missing; returns how many templates were added."""
    added = 0
    for label, title, sensitive, body in TEMPLATES:
        _, created = ReplyTemplate.objects.get_or_create(
            title=title, defaults={"label": label, "body": body, "sensitive": sensitive}
        )
        added += created
    for title, url, keywords in SOURCES:
        Source.objects.get_or_create(url=url, defaults={"title": title, "keywords": keywords})
    Charter.objects.get_or_create(
        version="2025-05",
        defaults={"url": "https://www.ahtma-formation.fr/charte-de-moderation", "published_at": timezone.now()},
    )
    return added
