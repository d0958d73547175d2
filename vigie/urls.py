from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularSwaggerSplitView

from vigie.accounts.roles import requires
from vigie.api.schema import not_found as api_not_found
from vigie.helpdesk import webhook as helpdesk_webhook
from vigie.indicators.views import home
from vigie.moderation import evidence_views
from vigie.planning import webhooks as planning_webhooks

# The split view serves Swagger UI's start-up script as a file: no inline script for the CSP to allow.
# the API's documentation is for admins (Administration menu), with a way back to Vigie
api_docs = requires("manage_api_tokens")(
    SpectacularSwaggerSplitView.as_view(url_name="api:schema", template_name="api/swagger_ui.html")
)

urlpatterns = [
    path("", home, name="home"),
    path("indicateurs/", include("vigie.indicators.urls")),
    path("boite/", include("vigie.inbox.urls")),
    path("audit/", include("vigie.audit.urls")),
    path("collecte/", include("vigie.ingestion.urls")),
    path("envois/", include("vigie.moderation.urls")),
    path("regles/", include("vigie.policy.urls")),
    path("reponses/", include("vigie.replies.urls")),
    path("notifications/", include("vigie.notifications.urls")),
    path("procedure/", include("vigie.procedure.urls")),
    path("suivi/", include("vigie.records.urls")),
    path("tours/", include("vigie.rounds.urls")),
    path("crises/", include("vigie.crisis.urls")),
    path("preuves/<int:pk>.json", evidence_views.download, name="evidence"),
    path("compte/connexion/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("compte/deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("compte/mot-de-passe/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path("compte/mot-de-passe/envoye/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "compte/mot-de-passe/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "compte/mot-de-passe/termine/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("taches/", include("vigie.helpdesk.urls")),
    path("webhooks/freshdesk", helpdesk_webhook.freshdesk, name="webhook-freshdesk"),
    path("planning/", include("vigie.planning.urls")),
    path("webhooks/monday", planning_webhooks.monday, name="webhook-monday"),
    path("webhooks/", include("vigie.connectors.urls")),
    path("jetons-api/", include("vigie.api.token_urls")),
    path("api/v1/", include("vigie.api.urls")),
    path("api/v1/docs", api_docs, name="api-docs"),
    re_path(r"^api/", api_not_found),
    path("admin/", admin.site.urls),
]
