from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from vigie.inbox.models import Message, Thread
from vigie.sla import deadlines
from vigie.vocabulary import PRIORITY_NAMES

PRIORITY_NAME_OF = {value: name for name, value in PRIORITY_NAMES.items()}


class AuthorSerializer(serializers.Serializer):
    id = serializers.CharField(source="external_id")
    name = serializers.CharField(source="display_name")
    person_id = serializers.IntegerField(allow_null=True)


class MessageSerializer(serializers.ModelSerializer):
    label = serializers.SerializerMethodField()
    confidence = serializers.SerializerMethodField()
    targets_staff = serializers.SerializerMethodField()
    platform = serializers.CharField(source="channel.platform")
    channel = serializers.CharField(source="channel.external_id")
    thread_id = serializers.IntegerField()
    thread_external_id = serializers.CharField(source="thread.external_id")
    author = AuthorSerializer(allow_null=True)
    # the work state of the item the message belongs to (its own comment, its conversation, or what our reply answers)
    item_id = serializers.IntegerField(allow_null=True)
    status = serializers.CharField(source="item.status", allow_null=True, default=None)
    assignee = serializers.CharField(source="item.assignee.username", allow_null=True, default=None)
    priority = serializers.SerializerMethodField()
    parent_id = serializers.IntegerField(allow_null=True)
    # its own deadline: a private message that needs an answer (sla/deadlines.py)
    reply_due_at = serializers.DateTimeField(allow_null=True)
    sla = serializers.SerializerMethodField()

    class Meta:
        model = Message
        fields = [
            "id", "platform", "channel", "kind", "external_id", "thread_id", "thread_external_id", "parent_id",
            "author", "text", "created_at", "item_id", "status", "assignee", "priority", "edited", "removed",
            "delivery",
            "label", "confidence", "targets_staff", "reply_due_at", "sla",
        ]  # fmt: skip

    @extend_schema_field(serializers.ChoiceField(choices=deadlines.STATES, allow_null=True))
    def get_sla(self, message) -> str | None:
        return message.sla(self.context.get("now") or timezone.now())

    def get_priority(self, message) -> str | None:
        return PRIORITY_NAME_OF.get(message.item.priority) if message.item_id else None

    @staticmethod
    def _classification(message):
        return getattr(message, "classification", None)

    def get_label(self, message) -> str | None:
        classification = self._classification(message)
        return classification.effective_label if classification else None

    def get_confidence(self, message) -> float | None:
        classification = self._classification(message)
        return round(classification.confidence, 4) if classification else None

    def get_targets_staff(self, message) -> bool | None:
        classification = self._classification(message)
        return classification.targets_staff if classification else None


class ThreadSerializer(serializers.ModelSerializer):
    channel = serializers.CharField(source="channel.external_id")
    assignee = serializers.CharField(source="assignee.username", allow_null=True, default=None)
    post_permalink = serializers.CharField(source="post.permalink", allow_null=True, default=None)

    class Meta:
        model = Thread
        fields = [
            "id", "platform", "channel", "kind", "external_id", "status", "priority", "assignee", "created_at",
            "last_message_at", "message_count", "post_permalink",
        ]  # fmt: skip
