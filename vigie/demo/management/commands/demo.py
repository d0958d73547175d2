"""`vigie demo`: a believable desk at once. Data goes in through the import path, the desk's
state through the actions layer; then the web server and the worker start."""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from vigie.accounts.models import StaffMember
from vigie.demo.clock import stage_clock
from vigie.demo.files import STAFF_FILE, write_records
from vigie.demo.history import stage_history
from vigie.helpdesk.demo import stage as stage_followups
from vigie.inbox import actions
from vigie.inbox.models import Item, Message
from vigie.inbox.status import Status
from vigie.notifications.models import Preference
from vigie.ops.supervisor import serve
from vigie.pipeline.importer import import_file
from vigie.records.demo import stage_records
from vigie.replies.defaults import install as install_reply_defaults
from vigie.sla.models import ClockSettings

# username, first name, last name, role (group); "admin" is also a superuser
DEMO_USERS = [
    ("admin", "Alex", "Martin", "admin"),
    ("camille", "Camille", "Durand", "community_manager"),
    ("lucas", "Lucas", "Bernard", "community_manager"),
    ("sophie", "Sophie", "Lemoine", "communication"),
    ("nadia", "Nadia", "Benali", "direction"),
]


def create_users() -> list[tuple[str, str, str]]:
    """(username, role, password): passwords are new at each start and printed."""
    User = get_user_model()
    created = []
    for username, first, last, role in DEMO_USERS:
        user, _ = User.objects.get_or_create(username=username)
        user.first_name, user.last_name = first, last
        user.email = f"{username}@ahtma-formation.example"
        user.is_staff = user.is_superuser = role == "admin"
        password = secrets.token_urlsafe(9)
        user.set_password(password)
        user.save()
        user.groups.set([Group.objects.get_or_create(name=role)[0]])
        Preference.objects.get_or_create(user=user, defaults={"by_email": False})  # in the app only, by default
        created.append((username, role, password))
    return created


def create_staff_watch_list() -> None:
    """The centre's staff, from the classifier's default watch-list file, as editable rows."""
    for line in STAFF_FILE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, *aliases = [part.strip() for part in line.split("|")]
        StaffMember.objects.get_or_create(name=name, defaults={"aliases": "\n".join(aliases)})


def stage_desk() -> None:
    """Some items in progress, some assigned, a note, a reply: as a desk looks mid-morning."""
    User = get_user_model()
    if Item.objects.exclude(assignee=None).exists():
        return
    camille, lucas, sophie = (User.objects.get(username=n) for n in ("camille", "lucas", "sophie"))
    items = list(Item.objects.order_by("received_at", "id"))
    with transaction.atomic():
        for index, item in enumerate(items[:40]):
            who = (camille, lucas, sophie)[index % 3]
            if index % 4 == 0:
                actions.assign(item, who, by=who)
                actions.change_status(item, Status.IN_PROGRESS, by=who)
            elif index % 4 == 1:
                actions.assign(item, who, by=camille)
            elif index % 4 == 2:
                actions.change_status(item, Status.DONE, by=who, left_undone=True)  # staged: no platform call
        for item in items[40:44]:
            actions.change_status(item, Status.WAITING, by=lucas)
            actions.add_note(item, "En attente d'une réponse du service administratif.", by=lucas)
        # the latest private message: Messenger's 24-hour window is open for it
        question = Message.objects.filter(kind="private_message").order_by("-created_at").first()
        if question is not None:
            actions.compose_reply(
                question.thread,
                "Bonjour, merci pour votre message. Vous trouverez les dates et tarifs sur notre site ; "
                "nous revenons vers vous d'ici demain avec le détail du financement.",
                by=camille,
                in_reply_to=question,
            )


class Command(BaseCommand):
    help = "Prépare la démo (données, utilisateurs) puis lance Vigie sur http://127.0.0.1:8000."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-serve", action="store_true", help="préparer la démo sans lancer le serveur")
        parser.add_argument("--no-live", action="store_true", help="sans fausses plateformes ni flux en direct")

    def handle(self, *args, host: str, port: int, no_serve: bool, no_live: bool, **options):
        call_command("migrate", interactive=False, verbosity=0)
        users = create_users()  # before the import: the procedure's notifications reach them
        report = import_file(write_records(timezone.now(), settings.DATA_DIR / "demo-messages.jsonl"), progress=False)
        self.stdout.write(
            f"Démo : {report.imported} messages importés, {report.already_known} déjà présents, "
            f"{len(report.errors)} en erreur."
        )
        install_reply_defaults()
        create_staff_watch_list()
        # the demo's page may answer with the « agent humain » tag (Messenger: up to 7 days)
        ClockSettings.objects.filter(pk=ClockSettings.current().pk).update(human_agent=True)
        stage_clock(timezone.now())
        stage_desk()
        stage_records()
        monday = self._stage_planning(keep=not (no_serve or no_live))
        self.stdout.write("\nComptes de démonstration (mots de passe générés à chaque démarrage) :")
        for username, role, password in users:
            self.stdout.write(f"  {username:<10} {role:<18} {password}")
        self.stdout.write(f"\nOuvrez http://{host}:{port}/ et connectez-vous avec l'un de ces comptes.\n")
        if no_serve or no_live:
            stage_followups()  # tasks, without Freshdesk tickets
            self._stage_history()
        self.stdout.write(
            "Une crise à la demande : « Déclencher une crise de démonstration » sur la page Crises (compte admin), "
            "ou `vigie crisis_demo`.\n"
        )
        if no_serve:
            return
        if no_live:
            serve(host, port, self.stdout)
            return
        from vigie.demo.live import LiveFeed, export_environment  # the fakes: demo only

        live = LiveFeed(base_url=f"http://{host}:{port}")
        environment = live.start_platforms()
        export_environment(environment)
        settings.FRESHDESK_API_URL = environment["VIGIE_FRESHDESK_API_URL"]  # tickets are staged from here
        export_environment({"VIGIE_MONDAY_API_URL": monday.api_url,
                            "VIGIE_MONDAY_SIGNING_SECRET": monday.signing_secret})  # fmt: skip
        live.connect_channels()
        stage_followups(live.freshdesk)
        self._stage_history()
        live.run_in_background()
        self.stdout.write(
            "Flux en direct : de faux Facebook, LinkedIn et YouTube locaux publient un message toutes les "
            f"{live.every_seconds:.0f} s, dans les proportions d'une journée ordinaire (une crise se déclenche "
            "par le bouton de la page Crises) ; les réponses et la modération du poste s'y appliquent. "
            "Un faux Freshdesk local reçoit les tickets des demandes complexes.\n"
        )
        try:
            serve(host, port, self.stdout)
        finally:
            live.stop()
            monday.stop()

    def _stage_history(self) -> None:
        """Four months for « Indicateurs », last: the desk's own staging picks the earliest items."""
        history = stage_history(timezone.now())
        if history:
            self.stdout.write(f"Historique : {history} messages des quatre derniers mois (page « Indicateurs »).\n")

    def _stage_planning(self, *, keep: bool):
        """The monday.com board, connected and read from a local monday (kept running for the live demo)."""
        from django.conf import settings

        from vigie.demo import planning  # the fake monday: demo only
        from vigie.planning.models import PlannedPost

        def point_at(url: str) -> None:
            settings.MONDAY_API_URL = url

        monday = planning.stage(point_at)
        if not keep:
            monday.stop()
        shown = PlannedPost.objects.filter(removed_at=None)
        self.stdout.write(
            f"Planning : tableau monday.com « Planning | Réseaux sociaux » connecté, {shown.count()} publications "
            f"({shown.filter(published=True).count()} publiées, {shown.exclude(suggested_post=None).count()} "
            "rapprochements à confirmer)."
        )
        return monday
