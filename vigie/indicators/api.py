"""GET /api/v1/indicators?from=YYYY-MM-DD&to=YYYY-MM-DD (DESIGN §6): the figures of a period, Paris days,
the same JSON as `vigie report --format json`."""

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from vigie.accounts.roles import can
from vigie.indicators import figures, periods
from vigie.vocabulary import PLATFORM_NAMES


class CanReadIndicators(BasePermission):
    message = "Votre rôle ne donne pas accès aux indicateurs."

    def has_permission(self, request, view):
        return bool(request.user) and can(request.user, "read_indicators")


def period_of(params) -> periods.Period:
    """from and to, both required here: the API names its period."""
    try:
        return periods.custom(params.get("from", ""), params.get("to", ""))
    except periods.BadPeriod as error:
        raise ValidationError({"period": [str(error)]}) from error


def platform_of(params) -> str | None:
    value = params.get("platform", "")
    if value and value not in PLATFORM_NAMES:
        raise ValidationError({"platform": [f"Plateforme inconnue : « {value} »."]})
    return value or None


class Indicators(APIView):
    permission_classes = [CanReadIndicators]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "from",
                OpenApiTypes.DATE,
                required=True,
                description="premier jour (heure de Paris), AAAA-MM-JJ, entre 2000-01-01 et 2100-12-31",
            ),
            OpenApiParameter(
                "to", OpenApiTypes.DATE, required=True, description="dernier jour, inclus (731 jours au plus)"
            ),
            OpenApiParameter("platform", str, enum=list(PLATFORM_NAMES), description="une seule plateforme"),
        ],
        responses={
            200: OpenApiResponse(
                OpenApiTypes.OBJECT,
                description=(
                    "messages (total, by_platform, by_kind, by_label, inappropriate, inappropriate_share), "
                    "private_messages (needing_reply, answered_within_24h, answered_late, unanswered, waiting, "
                    "overdue, answered_within_24h_share, median_first_response_minutes, response_times), "
                    "complex_requests, moderation (hide, unhide, delete, block, unblock, report, repeat_offenders), "
                    "staff_attacks, crises (count, false_alarms, open, médianes, list), "
                    "rounds (done, missed, by_slot), "
                    "classification (par étiquette du classifieur), series (par jour ou par semaine ; waiting : "
                    "messages privés encore dans leur délai), previous (la période précédente : de même durée, "
                    "ou le mois d'avant entier pour un mois)."
                ),
            ),
            400: OpenApiResponse(
                OpenApiTypes.OBJECT,
                description="dates absentes ou illisibles, fin avant début",
                examples=[
                    OpenApiExample("dates", value={"period": ["« from » : date AAAA-MM-JJ attendue, reçu « hier »."]})
                ],
            ),
            401: OpenApiResponse(description="jeton absent, invalide, expiré ou révoqué"),
        },
    )
    def get(self, request):
        """The indicators of a period (Paris days), with the previous period of the same length."""
        period = period_of(request.query_params)
        platform = platform_of(request.query_params)
        return Response(figures.build(period, platform=platform, now=timezone.now()))
