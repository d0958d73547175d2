from django.urls import path

from vigie.connectors import authorization
from vigie.ingestion import channel_views, views

app_name = "ingestion"
urlpatterns = [
    path("echecs/", views.failed_events, name="failed"),
    path("echecs/<int:pk>/relancer", views.retry, name="retry"),
    path("canaux/", channel_views.channel_list, name="channels"),
    path("canaux/connecter", channel_views.connect, name="channel-connect"),
    path("canaux/<int:pk>/deconnecter", channel_views.disconnect, name="channel-disconnect"),
    path("canaux/<int:pk>/relever", channel_views.poll_now, name="channel-poll"),
    path("canaux/<str:platform>/autoriser", authorization.start, name="authorize-start"),
    path("canaux/<str:platform>/retour", authorization.callback, name="authorize-callback"),
    path("canaux/<str:platform>/choisir", authorization.choose, name="authorize-choose"),
]
