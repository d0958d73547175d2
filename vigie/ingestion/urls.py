from django.urls import path

from vigie.ingestion import channel_views, facebook_login, views

app_name = "ingestion"
urlpatterns = [
    path("echecs/", views.failed_events, name="failed"),
    path("echecs/<int:pk>/relancer", views.retry, name="retry"),
    path("canaux/", channel_views.channel_list, name="channels"),
    path("canaux/connecter", channel_views.connect, name="channel-connect"),
    path("canaux/<int:pk>/deconnecter", channel_views.disconnect, name="channel-disconnect"),
    path("canaux/<int:pk>/relever", channel_views.poll_now, name="channel-poll"),
    path("canaux/facebook/autoriser", facebook_login.start, name="facebook-start"),
    path("canaux/facebook/retour", facebook_login.callback, name="facebook-callback"),
    path("canaux/facebook/choisir", facebook_login.choose, name="facebook-choose"),
]
