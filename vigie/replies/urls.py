from django.urls import path

from vigie.replies import views

app_name = "replies"
urlpatterns = [
    path("modeles/", views.templates, name="templates"),
    path("modeles/nouveau/", views.template_edit, name="template_new"),
    path("modeles/<int:pk>/", views.template_edit, name="template_edit"),
    path("modeles/<int:pk>/retirer", views.template_retire, name="template_retire"),
    path("charte/", views.charter, name="charter"),
    path("sources/", views.sources, name="sources"),
    path("sources/<int:pk>/", views.sources, name="source_edit"),
    path("sources/<int:pk>/retirer", views.source_delete, name="source_delete"),
]
