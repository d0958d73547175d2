"""A list's page, as every list of the API answers it: `{"next": URL or null, "results": [...]}`."""

from django.utils import timezone
from drf_spectacular.utils import inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.reverse import reverse


def page_response(request, page, serializer_class, route: str) -> Response:
    next_url = None
    if page.next_cursor:
        query = request.query_params.copy()
        query["cursor"] = page.next_cursor
        next_url = f"{reverse(route, request=request)}?{query.urlencode()}"
    context = {"now": timezone.now()}  # one moment for the whole page
    return Response({"next": next_url, "results": serializer_class(page.items, many=True, context=context).data})


def page_schema(serializer_class, name: str):
    return inline_serializer(
        name=name,
        fields={"next": serializers.URLField(allow_null=True), "results": serializer_class(many=True)},
    )
