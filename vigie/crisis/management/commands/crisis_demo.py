from django.core.management.base import BaseCommand, CommandError

from vigie.crisis.demo import start_demo_crisis


class Command(BaseCommand):
    help = "Démo : déclenche une crise (attaques contre un membre de l'équipe) par le vrai pipeline."

    def handle(self, *args, **options):
        crisis = start_demo_crisis()
        if crisis is None:
            raise CommandError("Aucune crise ouverte : la détection n'a pas reconnu les attaques.")
        self.stdout.write(f"Crise n° {crisis.pk} : {crisis.explanation}")
