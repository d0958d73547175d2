from django.urls import path

from vigie.rounds import views

app_name = "rounds"

urlpatterns = [
    path("", views.rounds, name="list"),
    path("commencer/<slug:slot>", views.start, name="start"),
    path("<int:pk>/signer", views.sign, name="sign"),
    path("export.csv", views.export, name="export"),
    path("reglages/", views.settings_page, name="settings"),
]
