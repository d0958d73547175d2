from django.db import models

from vigie.inbox.models import Post
from vigie.lib.crypto import EncryptedTextField

# What Vigie reads from the board, in the order the mapping form shows them.
FIELDS = {
    "publish_at": "Date de publication",
    "platforms": "Plateformes",
    "status": "Statut (à paraître / publié)",
    "subject": "Sujet",
    "prepared_messages": "Messages préparés",
    "link": "Lien vers la publication",
    "owner": "Responsable",
}


class Board(models.Model):
    """The monday.com board « Planning | Réseaux sociaux », connected by an admin."""

    class Status(models.TextChoices):
        CONNECTED = "connected", "Connecté"
        PAUSED = "paused", "En pause (limite monday.com)"
        FAILING = "failing", "En erreur"
        TO_RECONNECT = "to_reconnect", "À reconnecter"
        DISABLED = "disabled", "Déconnecté"

    board_id = models.CharField(max_length=40, unique=True)
    name = models.CharField(max_length=300)
    token = EncryptedTextField(blank=True, default="", help_text="monday.com API token, encrypted at rest")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.CONNECTED)
    mapping = models.JSONField(default=dict, help_text="field → column id, as the admin confirmed it")
    columns = models.JSONField(default=list, help_text="the board's columns at the last read: [{id, title, type}]")
    missing = models.JSONField(default=list, help_text="mapped fields whose column is gone from the board")
    people = models.JSONField(default=dict, blank=True, help_text="monday user id → name")
    last_error = models.TextField(blank=True, default="")
    retry_at = models.DateTimeField(null=True, blank=True)
    read_since = models.DateTimeField(null=True, blank=True, help_text="start of the last complete read")
    swept_at = models.DateTimeField(null=True, blank=True, help_text="last full read (finds deleted items)")
    last_sync_at = models.DateTimeField(null=True, blank=True)
    last_sync = models.JSONField(default=dict, blank=True, help_text="calls, complexity, items of the last sync")
    connected_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"monday.com · {self.name}"

    def column_title(self, column_id: str) -> str:
        titles = {c["id"]: c["title"] for c in self.columns}
        return titles.get(column_id, column_id)


class PlannedPost(models.Model):
    """One item of the board: a post to come or published."""

    class Match(models.TextChoices):
        NONE = "", "Pas encore rapprochée"
        LINK = "link", "Rapprochée par le lien du tableau"
        SUGGESTED = "suggested", "Rapprochement proposé"
        CONFIRMED = "confirmed", "Rapprochement confirmé"

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="planned_posts")
    monday_item_id = models.CharField(max_length=40)
    name = models.CharField(max_length=500)
    group = models.CharField(max_length=200, blank=True, default="")
    publish_at = models.DateTimeField(null=True, blank=True)
    has_time = models.BooleanField(default=False)
    sort_at = models.DateTimeField(help_text="publish_at, or the far past when there is no date (keyset order)")
    platforms = models.JSONField(default=list)
    status = models.CharField(max_length=200, blank=True, default="")
    published = models.BooleanField(default=False)
    subject = models.TextField(blank=True, default="")
    prepared_messages = models.JSONField(default=list)
    link = models.URLField(max_length=1000, blank=True, default="")
    owner = models.CharField(max_length=300, blank=True, default="")
    monday_updated_at = models.DateTimeField(null=True, blank=True)
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_reason = models.CharField(max_length=20, blank=True, default="")  # archived / deleted
    post = models.ForeignKey(Post, null=True, blank=True, on_delete=models.SET_NULL, related_name="planned_posts")
    suggested_post = models.ForeignKey(Post, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    match = models.CharField(max_length=20, choices=Match.choices, blank=True, default="")
    rejected_posts = models.JSONField(default=list, blank=True, help_text="post ids a person said are not this one")
    values = models.JSONField(default=dict, help_text="what the board said at the last change (as its last version)")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["board", "monday_item_id"], name="planned_post_unique")]
        indexes = [models.Index(fields=["sort_at", "id"])]

    def __str__(self):
        return self.name


class PlannedPostVersion(models.Model):
    """What the board said about an item each time it changed (the history kept after a removal)."""

    planned_post = models.ForeignKey(PlannedPost, on_delete=models.CASCADE, related_name="versions")
    recorded_at = models.DateTimeField(auto_now_add=True)
    values = models.JSONField()
    change = models.CharField(max_length=20)  # created / updated / archived / deleted / restored

    class Meta:
        ordering = ["recorded_at", "id"]


def connected_boards():
    return Board.objects.exclude(status=Board.Status.DISABLED)
