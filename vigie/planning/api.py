"""GET /api/v1/planning: planned posts still on the board, latest publication date first (undated last),
keyset-paginated with a `next` link like /api/v1/messages (DESIGN §6)."""

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from vigie.lib.keyset import BadCursor
from vigie.planning import queries
from vigie.planning.models import PlannedPost
from vigie.vocabulary import PLATFORMS

MAX_LIMIT = 200


class PlannedPostSerializer(serializers.ModelSerializer):
    post_id = serializers.IntegerField(allow_null=True)
    platforms = serializers.ListField(child=serializers.ChoiceField(choices=PLATFORMS))
    prepared_messages = serializers.ListField(child=serializers.CharField())
    match = serializers.CharField(help_text="link (colonne lien), confirmed (par une personne), suggested, ou vide")
    suggested_post_id = serializers.IntegerField(allow_null=True)

    class Meta:
        model = PlannedPost
        fields = [
            "id", "monday_item_id", "name", "publish_at", "has_time", "platforms", "status", "published", "subject",
            "prepared_messages", "link", "post_id", "match", "suggested_post_id",
        ]  # fmt: skip


def _limit(request) -> int:
    raw = request.query_params.get("limit", "50")
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_LIMIT:
        raise ValidationError({"limit": [f"Entier de 1 à {MAX_LIMIT} attendu."]})
    return int(raw)


class PlanningList(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("cursor", str, description="la valeur `next` de la page précédente"),
            OpenApiParameter("limit", int, description=f"1 à {MAX_LIMIT} (défaut 50)"),
        ],
        responses=inline_serializer(
            name="PlannedPostPage",
            fields={"next": serializers.URLField(allow_null=True), "results": PlannedPostSerializer(many=True)},
        ),
    )
    def get(self, request):
        """Planned posts of the monday.com board, latest publication date first."""
        try:
            page = queries.page(request.query_params.get("cursor"), _limit(request))
        except BadCursor as exc:
            raise ValidationError({"cursor": [str(exc)]}) from exc
        next_url = None
        if page.next_cursor:
            query = request.query_params.copy()
            query["cursor"] = page.next_cursor
            next_url = f"{reverse('api:planning', request=request)}?{query.urlencode()}"
        return Response({"next": next_url, "results": PlannedPostSerializer(page.items, many=True).data})
