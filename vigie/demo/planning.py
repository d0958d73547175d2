"""The demo's monday.com board « Planning | Réseaux sociaux »: the posts of the demo history (published,
some with their link filled in, others left for Vigie to suggest) and the weeks to come, each with
its prepared messages. It is connected and read through the real connector, against the local fake.

Only `vigie demo` uses this module; production code never imports the fakes.
"""

from datetime import UTC, datetime, timedelta
from textwrap import shorten

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from vigie.connectors.fake.monday import FakeMonday
from vigie.demo.files import records
from vigie.planning import actions, sync
from vigie.planning import mapping as mappings
from vigie.planning.models import Board

PLATFORM_IDS = {"facebook": 1, "linkedin": 2, "youtube": 3}
PUBLISHED, UPCOMING, PREPARING = 1, 2, 0
PREPARED = {
    "default": [
        "Bonjour {prenom}, merci pour votre message ! Toutes les informations sont sur notre site ; "
        "n'hésitez pas à nous écrire en message privé pour un conseil personnalisé.",
        "Merci {prenom} pour ce retour, il fait plaisir à toute l'équipe 💙",
    ],
    "portes": [
        "Bonjour {prenom}, l'entrée est libre ; l'inscription via le formulaire du site nous aide simplement "
        "à prévoir l'accueil. À samedi !",
        "Bonjour {prenom}, oui : Claire Fontaine fera le point sur les financements (OPCO, France Travail, CPF) "
        "à 11 h et à 15 h.",
    ],
    "cycle": [
        "Bonjour {prenom}, le cycle compte 20 jours répartis sur 7 mois, en semaine. Le programme et les tarifs "
        "sont sur notre site ; nous vous envoyons le détail en message privé si vous le souhaitez.",
        "Bonjour {prenom}, oui, la formation est finançable (OPCO, France Travail) : Claire Fontaine vous "
        "accompagne dans les démarches.",
    ],
    "webinaire": [
        "Bonjour {prenom}, le lien d'inscription (gratuite) est dans le premier commentaire 👇",
        "Bonjour {prenom}, le replay sera disponible 30 jours sur notre chaîne YouTube.",
    ],
}
UPCOMING_POSTS = [
    (1, "09:00:00", ["facebook"], "Rappel : journée d'étude à Lyon", "Journée d'étude adolescence, Lyon", "portes"),
    (2, "12:30:00", ["linkedin"], "Témoignage d'une infirmière formée à l'hypnose", "Hypnose dans les soins", None),
    (3, "18:00:00", ["facebook", "youtube"], "Webinaire : l'approche orientée solution", "Webinaire gratuit",
     "webinaire"),
    (6, "10:00:00", ["facebook", "linkedin"], "Inscriptions ouvertes : cycle de Bordeaux 2027", "Cycle PNL Bordeaux",
     "cycle"),
    (9, None, ["linkedin"], "Bilan de l'année 2026", "Chiffres clés de l'année", None),
    (13, "09:30:00", ["facebook"], "Calendrier des sessions du premier semestre", "Sessions 2027", "cycle"),
    (16, "17:00:00", ["youtube"], "Vidéo : trois exercices de respiration", "Vidéo pédagogique", None),
]  # fmt: skip


def _posts() -> list[tuple[str, dict]]:
    """(platform, post) of the demo history, once each, in publication order."""
    seen: dict[str, tuple[str, dict]] = {}
    for record in records(timezone.now()):  # as the import moved them
        post = record.get("post")
        if post and post["id"] not in seen:
            seen[post["id"]] = (record["platform"], post)
    return sorted(seen.values(), key=lambda pair: pair[1]["published_at"])


def _topic(text: str) -> str:
    lowered = text.lower()
    for key, words in (("portes", "portes ouvertes"), ("webinaire", "webinaire"), ("cycle", "cycle")):
        if words in lowered:
            return key
    return "default"


def _values(day: str, time: str | None, platforms: list[str], status: int, subject: str, topic: str | None,
            link: str = "") -> dict:  # fmt: skip
    values = {
        "date4": {"date": day, "time": time} if time else {"date": day},
        "dropdown_mkplat": {"ids": [PLATFORM_IDS[p] for p in platforms]},
        "status": {"index": status, "post_id": None},
        "text_mksujet": subject,
        "person": {"personsAndTeams": [{"id": 42835270, "kind": "person"}]},
    }
    if topic:
        values["long_text_mkmsg"] = {"text": "\n\n".join(PREPARED[topic])}
    if link:
        values["link_mklien"] = {"url": link, "text": "Voir la publication"}
    return values


def fill_board(fake: FakeMonday) -> str:
    """The board as the communication team keeps it; returns its id."""
    board_id = fake.add_board()
    for index, (platform, post) in enumerate(_posts()):
        when = post["published_at"]
        title = shorten(post["text"].splitlines()[0].strip(" 🌀📣💬🎥✅💶🌊🙏🧠🧩🎓📚🗞️🏥🎤🤝"), 80, placeholder=" …")
        utc = datetime.fromisoformat(when).astimezone(UTC)
        link = post["permalink"] if index % 2 == 0 else ""  # every other one: Vigie suggests, a person confirms
        values = _values(utc.date().isoformat(), utc.strftime("%H:%M:00"), [platform], PUBLISHED, title,
                         _topic(post["text"]), link)  # fmt: skip
        fake.add_item(board_id, title, values, group="group_published")
    today = timezone.localdate()
    for days, time, platforms, name, subject, topic in UPCOMING_POSTS:
        day = (today + timedelta(days=days)).isoformat()
        status = UPCOMING if days < 10 else PREPARING
        fake.add_item(board_id, name, _values(day, time, platforms, status, subject, topic or "default"))
    return board_id


def connect(fake: FakeMonday, board_id: str) -> sync.Report | None:
    """Connected as the admin would on « Canaux » (proposed mapping confirmed), then read once."""
    if not Board.objects.filter(board_id=board_id).exists():
        _, columns = actions.board_columns(fake.token, board_id)
        admin = get_user_model().objects.filter(username="admin").first()
        actions.connect_board(fake.token, board_id, mappings.propose(columns), by=admin, queue_read=False)
    board = Board.objects.get(board_id=board_id)
    Board.objects.filter(pk=board.pk).update(status=Board.Status.CONNECTED, retry_at=None)  # a new fake each start
    report = sync.run(board.pk, full=True)
    sync.match_board(board, within=None)  # the demo history may be older than the usual two weeks
    return report


def stage(url_setter) -> FakeMonday:
    """Start a local monday with the board, point Vigie at it (`url_setter(api_url)`), connect and read it.
    The caller stops the fake (or keeps it running for the live demo)."""
    fake = FakeMonday()
    fake.start()
    url_setter(fake.api_url)
    connect(fake, fill_board(fake))
    reply_with_prepared()
    return fake


def reply_with_prepared() -> None:
    """Camille answered a comment under a planned post with its first prepared message, filled for the
    person (as the item page offers it first)."""
    from vigie.inbox import actions as desk
    from vigie.inbox import reply_suggestions
    from vigie.inbox.models import Message
    from vigie.planning.models import PlannedPost

    planned = PlannedPost.objects.exclude(post=None).exclude(prepared_messages=[]).order_by("sort_at").first()
    camille = get_user_model().objects.filter(username="camille").first()
    if planned is None or camille is None:
        return
    comment = Message.objects.filter(thread__post=planned.post, kind="comment").order_by("created_at").first()
    if comment is None or Message.objects.filter(parent=comment, kind="reply").exists():
        return
    offer = reply_suggestions.for_message(comment, comment.channel.platform, planned.prepared_messages)[0]
    with transaction.atomic():
        desk.compose_reply(comment.thread, offer.text, by=camille, in_reply_to=comment)
