"""Read-only JSON API v1: the inbox's filters, keyset pagination with a `next` cursor."""

from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from vigie.api.serializers import MessageSerializer, ThreadSerializer
from vigie.inbox import queries
from vigie.inbox.forms import FilterForm
from vigie.inbox.models import Message, Thread
from vigie.lib.keyset import BadCursor
from vigie.sla import deadlines
from vigie.vocabulary import LABELS, PRIORITY_NAMES

MAX_LIMIT = 200

FILTER_PARAMETERS = [
    OpenApiParameter("platform", str, enum=["facebook", "linkedin", "youtube"]),
    OpenApiParameter("kind", str, enum=["comment", "private_message"]),
    OpenApiParameter(
        "status", str, description="open (défaut : tout ce qui est à traiter), all, ou un statut",
        enum=["open", "all", "new", "in_progress", "waiting", "done", "escalated", "closed"],
    ),
    OpenApiParameter("assignee", str, description="me, none, ou l'identifiant d'un utilisateur"),
    OpenApiParameter("date_from", OpenApiTypes.DATE),
    OpenApiParameter("date_to", OpenApiTypes.DATE),
    OpenApiParameter("q", str, description="recherche plein texte"),
    OpenApiParameter("label", str, enum=[value for value, _ in LABELS], description="étiquette (après correction)"),
    OpenApiParameter("targets_staff", bool, description="seulement les messages qui visent le personnel"),
    OpenApiParameter("priority", str, enum=list(PRIORITY_NAMES), description="priorité de l'élément"),
    OpenApiParameter("sla", str, enum=list(deadlines.STATES), description="où en est le délai de réponse"),
    OpenApiParameter("uncertain", bool, description="seulement les messages au tri incertain, non corrigés"),
    OpenApiParameter("cursor", str, description="la valeur `next` de la page précédente"),
    OpenApiParameter("limit", int, description=f"1 à {MAX_LIMIT} (défaut 50)"),
]  # fmt: skip


def _filters(request) -> queries.Filters:
    data = request.query_params.copy()
    data.setdefault("status", queries.STATUS_ALL)  # the API lists everything unless asked
    form = FilterForm(data)
    if not form.is_valid():
        raise ValidationError(form.errors)
    return form.filters()


def _limit(request) -> int:
    raw = request.query_params.get("limit", "50")
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_LIMIT:
        raise ValidationError({"limit": [f"Entier de 1 à {MAX_LIMIT} attendu."]})
    return int(raw)


def _page_response(request, page, serializer_class, route: str) -> Response:
    next_url = None
    if page.next_cursor:
        query = request.query_params.copy()
        query["cursor"] = page.next_cursor
        next_url = f"{reverse(route, request=request)}?{query.urlencode()}"
    context = {"now": timezone.now()}  # one moment for the whole page
    return Response({"next": next_url, "results": serializer_class(page.items, many=True, context=context).data})


def _page_schema(serializer_class, name: str):
    return inline_serializer(
        name=name,
        fields={"next": serializers.URLField(allow_null=True), "results": serializer_class(many=True)},
    )


def _list(request, page_of, serializer_class, route: str) -> Response:
    try:
        page = page_of(_filters(request), request.user, request.query_params.get("cursor"), _limit(request))
    except BadCursor as exc:
        raise ValidationError({"cursor": [str(exc)]}) from exc
    return _page_response(request, page, serializer_class, route)


class MessageList(APIView):
    @extend_schema(parameters=FILTER_PARAMETERS, responses=_page_schema(MessageSerializer, "MessagePage"))
    def get(self, request):
        """Messages, newest first."""
        return _list(request, queries.message_page, MessageSerializer, "api:messages")


class MessageDetail(APIView):
    @extend_schema(responses=MessageSerializer)
    def get(self, request, pk: int):
        related = ("author", "channel", "item__assignee", "thread", "classification")
        message = get_object_or_404(Message.objects.select_related(*related), pk=pk)
        return Response(MessageSerializer(message).data)


class ThreadList(APIView):
    @extend_schema(parameters=FILTER_PARAMETERS, responses=_page_schema(ThreadSerializer, "ThreadPage"))
    def get(self, request):
        """Threads, most urgent then most recent first."""
        return _list(request, queries.thread_page, ThreadSerializer, "api:threads")


class ThreadDetail(APIView):
    @extend_schema(responses=ThreadSerializer)
    def get(self, request, pk: int):
        thread = get_object_or_404(Thread.objects.select_related("channel", "assignee", "post"), pk=pk)
        return Response(ThreadSerializer(thread).data)
