"""GET /api/v1/planning: planned posts still on the board, latest publication date first (undated last),
keyset-paginated with a `next` link like /api/v1/messages (DESIGN §6)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.views import APIView

from vigie.api import params
from vigie.api.pages import page_response, page_schema
from vigie.planning import queries
from vigie.planning.models import PlannedPost
from vigie.vocabulary import PLATFORMS


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


PlanningQuery = params.query_of(queries.ORDER)


class PlanningList(APIView):
    @extend_schema(
        operation_id="planning_list",
        parameters=[PlanningQuery],
        responses=page_schema(PlannedPostSerializer, "PlannedPostPage"),
    )
    def get(self, request):
        """Planned posts of the monday.com board, latest publication date first."""
        query = params.read(PlanningQuery, request)
        page = queries.page(query.validated_data.get("cursor"), query.validated_data["limit"])
        return page_response(request, page, PlannedPostSerializer, "api:planning")
