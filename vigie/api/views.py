"""Read-only JSON API v1: the inbox's filters, keyset pagination with a `next` cursor."""

from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from vigie.api import params
from vigie.api.pages import page_response, page_schema
from vigie.api.serializers import MessageSerializer, ThreadSerializer
from vigie.inbox import queries
from vigie.inbox.models import Message, Thread

MessageQuery = params.query_of(queries.MESSAGE_ORDER, params.InboxQuery)
ThreadQuery = params.query_of(queries.THREAD_ORDER, params.InboxQuery)


def _list(request, query_class, page_of, serializer_class, route: str) -> Response:
    query = params.read(query_class, request)
    cursor, limit = query.validated_data.get("cursor"), query.validated_data["limit"]
    page = page_of(query.filters(), request.user, cursor, limit)
    return page_response(request, page, serializer_class, route)


def _one(queryset, pk: int, nothing: str):
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise NotFound(f"{nothing} sous l'identifiant {pk}.")
    return found


class MessageList(APIView):
    @extend_schema(
        operation_id="messages_list", parameters=[MessageQuery], responses=page_schema(MessageSerializer, "MessagePage")
    )
    def get(self, request):
        """Messages, newest first."""
        return _list(request, MessageQuery, queries.message_page, MessageSerializer, "api:messages")


class MessageDetail(APIView):
    @extend_schema(responses=MessageSerializer)
    def get(self, request, pk: int):
        related = ("author", "channel", "item__assignee", "thread", "classification")
        message = _one(Message.objects.select_related(*related), pk, "Aucun message")
        return Response(MessageSerializer(message).data)


class ThreadList(APIView):
    @extend_schema(
        operation_id="threads_list", parameters=[ThreadQuery], responses=page_schema(ThreadSerializer, "ThreadPage")
    )
    def get(self, request):
        """Threads, most urgent then most recent first."""
        return _list(request, ThreadQuery, queries.thread_page, ThreadSerializer, "api:threads")


class ThreadDetail(APIView):
    @extend_schema(responses=ThreadSerializer)
    def get(self, request, pk: int):
        thread = _one(Thread.objects.select_related("channel", "assignee", "post"), pk, "Aucun fil")
        return Response(ThreadSerializer(thread).data)
