from django.urls import path

from vigie.crisis import views

app_name = "crisis"
urlpatterns = [
    path("", views.crisis_list, name="list"),
    path("<int:pk>/", views.room, name="room"),
    path("<int:pk>/escalader/", views.escalate, name="escalate"),
    path("<int:pk>/fausse-alerte/", views.dismiss, name="dismiss"),
    path("<int:pk>/fusionner/", views.merge, name="merge"),
    path("<int:pk>/clore/", views.close, name="close"),
    path("<int:pk>/strategie/", views.strategy, name="strategy"),
    path("<int:pk>/communique/", views.statement, name="statement"),
    path("<int:pk>/communique/approuver/", views.approve, name="approve"),
    path("<int:pk>/communique/publier/", views.publish, name="publish"),
    path(
        "<int:pk>/communique/publications/<int:publication_id>/relancer/",
        views.retry_publication,
        name="retry_publication",
    ),
    path("reglages/", views.settings_view, name="settings"),
    path("demo/", views.demo, name="demo"),
]
