from django.conf import settings
from django.db import models

from vigie.inbox.status import Status
from vigie.ingestion.models import Channel, RawEvent
from vigie.sla import deadlines
from vigie.vocabulary import LABELS, Platform, Priority

LABEL_NAMES = dict(LABELS)


class Person(models.Model):
    """One human behind several platform identities, linked by an admin."""

    name = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.name


class Author(models.Model):
    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="authors")
    external_id = models.CharField(max_length=200)
    display_name = models.CharField(max_length=200, blank=True)
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="authors")
    offence_count = models.PositiveIntegerField(default=0)
    blocked = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["channel", "external_id"], name="author_unique")]

    def __str__(self):
        return self.display_name or self.external_id


class Post(models.Model):
    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="posts")
    external_id = models.CharField(max_length=200)
    text = models.TextField(blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    permalink = models.URLField(max_length=500, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["channel", "external_id"], name="post_unique")]

    def __str__(self):
        return self.text[:60] or self.external_id


class Thread(models.Model):
    """The comments under one post, or one private conversation. People handle its items (`Item`);
    its status, priority and assignee sum its items up (`items.sync_threads`)."""

    class Kind(models.TextChoices):
        COMMENTS = "comment", "Commentaires"
        CONVERSATION = "private_message", "Message privé"

    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="threads")
    platform = models.CharField(max_length=20, choices=Platform.choices)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    external_id = models.CharField(max_length=200)
    post = models.ForeignKey(Post, null=True, blank=True, on_delete=models.PROTECT, related_name="threads")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NEW)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="threads"
    )
    priority = models.SmallIntegerField(choices=Priority.choices, default=Priority.NORMAL)
    created_at = models.DateTimeField()
    last_message_at = models.DateTimeField()
    # the latest incoming message, shown in the list without a join per row
    last_message = models.ForeignKey("Message", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    message_count = models.PositiveIntegerField(default=0)
    open_items = models.PositiveIntegerField(default=0)  # items still to handle (« Par publication »)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["channel", "external_id"], name="thread_unique")]
        indexes = [
            models.Index(fields=["-priority", "-last_message_at", "-id"], name="thread_inbox_order"),
            models.Index(fields=["status", "-priority", "-last_message_at", "-id"], name="thread_status_order"),
            models.Index(fields=["assignee", "status"], name="thread_assignee"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.external_id}"

    @property
    def post_name(self) -> str:
        """The post this thread is under, as the desk names it: its text, or what it is when none came
        with it (YouTube sends a video's comments without its title)."""
        if self.post is None:
            return ""
        if self.post.text:
            return self.post.text
        return "une vidéo YouTube" if self.platform == Platform.YOUTUBE else "une publication sans texte"


class Item(models.Model):
    """What a person decides on: one incoming comment, or one private conversation, whose state
    follows its latest message (`message`). It carries the work state: status, assignee, priority,
    and the effective label of its message (kept here so that the desk filters on it)."""

    thread = models.ForeignKey(Thread, on_delete=models.PROTECT, related_name="items")
    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="+")
    platform = models.CharField(max_length=20, choices=Platform.choices)
    kind = models.CharField(max_length=20, choices=Thread.Kind.choices)
    message = models.OneToOneField("Message", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NEW)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="items"
    )
    priority = models.SmallIntegerField(choices=Priority.choices, default=Priority.NORMAL)
    priority_set = models.BooleanField(
        default=False,
        db_default=False,  # rows written in SQL (migration 0006 of inbox) get it too
        help_text="a person or a rule set the priority (`set_priority`): a check leaves it",
    )
    label = models.CharField(max_length=30, blank=True)
    targets_staff = models.BooleanField(default=False)
    received_at = models.DateTimeField()  # its message's time
    # the earliest deadline of its private messages still unanswered (sla/deadlines.py); null: none due
    reply_due_at = models.DateTimeField(null=True, blank=True)
    warned_for = models.DateTimeField(null=True, blank=True)  # the deadline whose approach was announced

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["thread"], condition=models.Q(kind="private_message"), name="item_one_per_conversation"
            )
        ]
        indexes = [
            models.Index(fields=["-priority", "-received_at", "-id"], name="item_inbox_order"),
            models.Index(fields=["status", "-priority", "-received_at", "-id"], name="item_status_order"),
            models.Index(fields=["label", "status", "-priority", "-received_at"], name="item_label"),
            models.Index(fields=["assignee", "status"], name="item_assignee"),
            models.Index(fields=["thread", "status"], name="item_thread"),
            models.Index(
                fields=["status", "reply_due_at", "id"],
                name="item_reply_due",
                condition=models.Q(reply_due_at__isnull=False),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.message_id}"

    @property
    def is_conversation(self) -> bool:
        return self.kind == Thread.Kind.CONVERSATION

    @property
    def label_name(self) -> str:
        return LABEL_NAMES.get(self.label, "")

    def sla(self, now) -> str | None:
        """Where its earliest unanswered deadline stands (on_time, due_soon, overdue), or None."""
        return deadlines.state(self.reply_due_at, None, now)

    @property
    def quiet(self) -> bool:
        """Nothing urgent: a positive or neutral comment, read last and shown softly."""
        return self.label == "positive_neutral" and self.priority == Priority.NORMAL and not self.targets_staff


class Message(models.Model):
    class Kind(models.TextChoices):
        COMMENT = "comment", "Commentaire"
        PRIVATE_MESSAGE = "private_message", "Message privé"
        REPLY = "reply", "Notre réponse"

    class Delivery(models.TextChoices):
        RECEIVED = "received", "Reçu"
        AWAITING_APPROVAL = "awaiting_approval", "À approuver"
        REJECTED = "rejected", "Refusée"
        PENDING = "pending", "En attente d'envoi"
        SENT = "sent", "Envoyé"
        FAILED = "failed", "Échec de l'envoi"

    thread = models.ForeignKey(Thread, on_delete=models.PROTECT, related_name="messages")
    # the item this message belongs to: its own (a comment), its conversation's, or the one our reply answers
    item = models.ForeignKey(Item, null=True, blank=True, on_delete=models.SET_NULL, related_name="messages")
    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(Author, null=True, blank=True, on_delete=models.PROTECT, related_name="messages")
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    external_id = models.CharField(max_length=200, null=True, blank=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replies")
    parent_external_id = models.CharField(max_length=200, blank=True)
    text = models.TextField(blank=True)
    created_at = models.DateTimeField()
    received_at = models.DateTimeField(auto_now_add=True)
    permalink = models.URLField(max_length=500, blank=True)
    edited = models.BooleanField(default=False)
    removed = models.BooleanField(default=False)
    hidden_on_platform = models.BooleanField(default=False)
    deleted_on_platform = models.BooleanField(default=False)
    delivery = models.CharField(max_length=20, choices=Delivery.choices, default=Delivery.RECEIVED)
    raw_event = models.ForeignKey(RawEvent, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # a private message that needs an answer is due one by then (null: none due); met or missed once answered
    reply_due_at = models.DateTimeField(null=True, blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "external_id"],
                condition=models.Q(external_id__isnull=False),
                name="message_unique",
            )
        ]
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="message_recent"),
            models.Index(fields=["thread", "created_at"], name="message_thread"),
            models.Index(fields=["author", "-created_at"], name="message_author"),
            models.Index(
                fields=["reply_due_at", "id"],
                name="message_unanswered_due",
                condition=models.Q(reply_due_at__isnull=False, replied_at__isnull=True),
            ),
            models.Index(  # the menu counts them on every page of those who approve
                fields=["created_at"],
                name="message_awaiting_approval",
                condition=models.Q(delivery="awaiting_approval"),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.external_id or self.pk}"

    @property
    def incoming(self) -> bool:
        return self.kind != self.Kind.REPLY

    @property
    def author_name(self) -> str:
        """Who wrote it, as the platform names them, for the team's notifications."""
        return self.author.display_name if self.author else "auteur inconnu"

    def sla(self, now) -> str | None:
        return deadlines.state(self.reply_due_at, self.replied_at, now)

    def known_parent_external_id(self) -> str | None:
        """The comment this one answers, as recorded; "" when it answers none, as far as polling knows (a
        poll names every reply's parent); None when nothing said (a LinkedIn notification does not)."""
        if self.parent_external_id:
            return self.parent_external_id
        source = RawEvent.objects.filter(pk=self.raw_event_id).values_list("source", flat=True).first()
        return "" if source == RawEvent.Source.POLL else None


class MessageVersion(models.Model):
    """An earlier text of an edited message, kept when the edit arrived."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="versions")
    text = models.TextField(blank=True)
    replaced_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["replaced_at", "id"]


class Note(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="notes")
    item = models.ForeignKey(Item, null=True, blank=True, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
