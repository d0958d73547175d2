from django.urls import path

from vigie.api import token_views

app_name = "api-tokens"
urlpatterns = [
    path("", token_views.token_list, name="list"),
    path("<int:pk>/revoquer", token_views.revoke, name="revoke"),
]
