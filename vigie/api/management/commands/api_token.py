from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from vigie.api import tokens
from vigie.api.models import DEFAULT_DAYS, ApiToken

COMMAND = "commande vigie api-token"


class Command(BaseCommand):
    help = (
        "Crée un jeton d'API pour cet utilisateur et l'affiche une seule fois (seul le jeton, sur la sortie "
        "standard). Usage : vigie api-token UTILISATEUR [--days N] | --list | --revoke ID"
    )

    def add_arguments(self, parser):
        parser.add_argument("username", nargs="?")
        parser.add_argument("--days", type=int, default=DEFAULT_DAYS, help=f"durée de validité (défaut {DEFAULT_DAYS})")
        action = parser.add_mutually_exclusive_group()
        action.add_argument(
            "--list", dest="list_tokens", action="store_true", help="lister les jetons (sans leur valeur)"
        )
        action.add_argument("--revoke", type=int, metavar="ID", help="révoquer le jeton de ce numéro")

    def handle(self, *args, username: str | None, days: int, list_tokens: bool, revoke: int | None, **options):
        if (username is None) == (not list_tokens and revoke is None):
            raise CommandError("Donnez un utilisateur, ou bien --list, ou bien --revoke ID.")
        if list_tokens:
            self._list()
        elif revoke is not None:
            self._revoke(revoke)
        else:
            self.stdout.write(self._issue(username, days))

    def _issue(self, username: str, days: int) -> str:
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Utilisateur inconnu : {username}")
        try:
            return tokens.issue(user, days=days, actor_label=COMMAND)[1]
        except ValueError as exc:
            raise CommandError(str(exc)) from exc

    def _list(self) -> None:
        self.stdout.write("n°\tdébut\tutilisateur\tcréé le\texpire le\tdernier usage\tétat")
        for token in ApiToken.objects.select_related("user").order_by("id"):
            used = _when(token.last_used_at) if token.last_used_at else "jamais"
            self.stdout.write(
                f"{token.pk}\t{token.prefix}…\t{token.user.get_username()}\t{_when(token.created_at)}\t"
                f"{_when(token.expires_at)}\t{used}\t{token.state_label}"
            )

    def _revoke(self, pk: int) -> None:
        token = ApiToken.objects.select_related("user").filter(pk=pk).first()
        if token is None:
            raise CommandError(f"Aucun jeton n° {pk}.")
        if not tokens.revoke(token, actor_label=COMMAND):
            raise CommandError(f"Le jeton n° {pk} était déjà révoqué.")
        self.stdout.write(f"Jeton n° {pk} ({token.prefix}…, {token.user.get_username()}) révoqué.")


def _when(moment) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}"
