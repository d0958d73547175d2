from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from vigie.api.models import ApiToken


class Command(BaseCommand):
    help = "Crée un jeton d'API pour cet utilisateur et l'affiche une seule fois. Usage : vigie api-token USERNAME"

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username: str, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Utilisateur inconnu : {username}")
        self.stdout.write(ApiToken.issue(user))
