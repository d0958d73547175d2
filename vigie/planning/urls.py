from django.urls import path

from vigie.planning import views

app_name = "planning"
urlpatterns = [
    path("", views.planning, name="list"),
    path("<int:pk>/rapprocher", views.confirm_match, name="confirm-match"),
    path("<int:pk>/ecarter", views.reject_match, name="reject-match"),
    path("tableau/jeton", views.connect_token, name="connect-token"),
    path("tableau/choisir", views.connect_board, name="connect-board"),
    path("tableau/colonnes", views.confirm_mapping, name="confirm-mapping"),
    path("tableau/<int:pk>/colonnes", views.remap, name="remap"),
    path("tableau/<int:pk>/relire", views.sync_now, name="sync"),
    path("tableau/<int:pk>/deconnecter", views.disconnect, name="disconnect"),
]
