"""`vigie planning connect --token-file F --board ID [--map colonne=champ …]` and `vigie planning sync`."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from vigie.lib.http import ConnectorError
from vigie.planning import actions, sync
from vigie.planning import mapping as mappings
from vigie.planning.models import FIELDS, Board, connected_boards

COMMAND = "commande vigie planning"


class Command(BaseCommand):
    help = "Le tableau monday.com « Planning | Réseaux sociaux » : connect (jeton, tableau, colonnes) ou sync."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", required=True)
        connect = commands.add_parser("connect", help="connecter le tableau (puis le lire)")
        connect.add_argument("--token-file", required=True, help="fichier contenant le jeton d'API monday.com")
        connect.add_argument("--board", required=True, help="identifiant du tableau")
        connect.add_argument("--map", nargs="*", default=None, metavar="COLONNE=CHAMP",
                             help=f"correspondance colonne=champ (champs : {', '.join(FIELDS)}) ; "
                             "sans --map, celle que Vigie propose")  # fmt: skip
        read = commands.add_parser("sync", help="lire maintenant les tableaux connectés")
        read.add_argument("--full", action="store_true", help="relire tout le tableau (trouve les éléments supprimés)")

    def handle(self, *args, action: str, **options):
        if action == "connect":
            self._connect(options["token_file"], options["board"], options["map"])
        else:
            self._sync(options["full"])

    def _connect(self, token_file: str, board_id: str, pairs: list[str] | None) -> None:
        try:
            token = Path(token_file).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise CommandError(f"Fichier de jeton illisible : {token_file} ({exc.strerror})") from exc
        try:
            if pairs is None:
                _, columns = actions.board_columns(token, board_id)
                mapping = mappings.propose(columns)
            else:
                mapping = mappings.from_pairs(pairs)
            board = actions.connect_board(token, board_id, mapping, by=None, actor_label=COMMAND, queue_read=False)
        except (ConnectorError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{board} connecté (jeton chiffré). Colonnes :")
        for field, column_id in board.mapping.items():
            self.stdout.write(f"  {column_id} → {field} ({FIELDS[field]})")
        self._read(board, full=True)

    def _sync(self, full: bool) -> None:
        boards = list(connected_boards())
        if not boards:
            raise CommandError("Aucun tableau connecté : vigie planning connect --token-file F --board ID")
        for board in boards:
            self._read(board, full=full)

    def _read(self, board: Board, *, full: bool) -> None:
        Board.objects.filter(pk=board.pk).update(retry_at=None)  # asked by a person: now
        report = sync.run(board.pk, full=full)
        board.refresh_from_db()
        if report is None:
            raise CommandError(f"{board} : {board.last_error or board.get_status_display()}")
        self.stdout.write(f"{board} : {report.summary()}.")
        for gone in board.missing:
            self.stdout.write(f"  attention : la colonne {gone['column']} ne donne plus « {FIELDS[gone['field']]} ».")
