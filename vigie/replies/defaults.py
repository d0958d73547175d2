"""A first set of reply templates, a charter and reliable sources, so a new desk is usable at once.

Installed by `vigie demo`; on a production desk an admin edits them in the admin site."""

from django.db import transaction
from django.utils import timezone

from vigie.replies.models import Charter, ReplyTemplate, Source
from vigie.vocabulary import Kind

# (label, title, kind, sensitive, body). A comment is answered in public: its templates may invite the person to
# write in private. A private message already is private: its templates give the precise answer the procedure asks
# for (« répondre sous 24 heures en apportant un maximum de précisions ») rather than point to a private message.
# An empty kind fits both.
ANY, COMMENT, PRIVATE = "", Kind.COMMENT, Kind.PRIVATE_MESSAGE
TEMPLATES = [
    ("positive_neutral", "Remerciement chaleureux", ANY, False,
     "Merci beaucoup {prenom} pour votre message ! Toute l'équipe d'AHTMA Formation est ravie de vous lire. "
     "Qu'avez-vous retenu de plus utile pour votre pratique ?"),
    ("positive_neutral", "Merci et invitation", ANY, False,
     "Merci {prenom} ! Si le sujet vous intéresse, nos prochaines dates de formation sont sur {lien_site}."),
    ("question", "Dates et tarifs", COMMENT, False,
     "Bonjour {prenom}, merci pour votre question. Les dates, le programme et les tarifs de la formation "
     "{formation} sont détaillés sur {lien_site}. Nous restons disponibles en message privé pour toute précision."),
    ("question", "Dates et tarifs", PRIVATE, False,
     "Bonjour {prenom}, merci pour votre message. La prochaine session de la formation {formation} a lieu {dates}, "
     "au tarif de {tarif}. Le programme détaillé et l'inscription sont sur {lien_site}. "
     "Avez-vous d'autres questions ? Nous y répondons ici."),
    ("question", "Financement (CPF, OPCO, France Travail)", COMMENT, False,
     "Bonjour {prenom}, la formation {formation} peut être financée selon votre situation (CPF, OPCO, "
     "France Travail…). Écrivez-nous en message privé avec votre statut : nous vous répondons sous 24 heures."),
    ("question", "Financement (CPF, OPCO, France Travail)", PRIVATE, False,
     "Bonjour {prenom}, merci pour votre message. La formation {formation} peut être financée par votre CPF, par "
     "l'OPCO de votre employeur ou par France Travail, selon votre situation. Êtes-vous salarié(e), en exercice "
     "libéral ou demandeur d'emploi ? Nous vous indiquerons la démarche exacte et les documents à prévoir."),
    ("complex_request", "Réponse d'attente", ANY, False,
     "Bonjour {prenom}, merci pour votre message. Votre demande mérite une réponse précise : nous faisons le point "
     "en interne et revenons vers vous {delai}."),
    ("criticism", "Critique : reconnaître et proposer", COMMENT, True,
     "Bonjour {prenom}, merci d'avoir pris le temps de nous faire ce retour. Vous avez raison de le signaler et "
     "nous en tenons compte. Pouvez-vous nous écrire en message privé pour que nous trouvions ensemble une solution ?"),
    ("criticism", "Critique : reconnaître et proposer", PRIVATE, True,
     "Bonjour {prenom}, merci d'avoir pris le temps de nous écrire. Vous avez raison de le signaler et nous en "
     "tenons compte. Pouvez-vous nous préciser la formation et la date concernées, pour que nous trouvions "
     "ensemble une solution ?"),
    ("misinformation", "Rectifier avec une source", ANY, True,
     "Bonjour {prenom}, cette information est inexacte. Vous trouverez une source fiable ici : {source}. "
     "Nous restons à votre disposition pour en discuter sereinement."),
    ("conflict", "Recentrer sur le sujet", COMMENT, False,
     "Bonjour à toutes et à tous, merci pour vos échanges. Recentrons la discussion sur le sujet de la publication, "
     "dans le respect de chacun."),
    ("conflict", "Clore en rappelant la charte", COMMENT, True,
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
    for label, title, kind, sensitive, body in TEMPLATES:
        _, created = ReplyTemplate.objects.get_or_create(
            title=title, kind=kind, defaults={"label": label, "body": body, "sensitive": sensitive}
        )
        added += created
    for title, url, keywords in SOURCES:
        Source.objects.get_or_create(url=url, defaults={"title": title, "keywords": keywords})
    Charter.objects.get_or_create(
        version="2025-05",
        defaults={"url": "https://www.ahtma-formation.fr/charte-de-moderation", "published_at": timezone.now()},
    )
    return added
