from django.urls import path

from vigie.procedure import views

app_name = "procedure"
urlpatterns = [
    path("", views.page, name="page"),
    path("modifier/", views.edit, name="edit"),
    path("versions/<int:number>/", views.revision, name="revision"),
]
