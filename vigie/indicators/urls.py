from django.urls import path

from vigie.indicators import views

app_name = "indicators"
urlpatterns = [
    path("", views.page, name="page"),
    path("export/<slug:key>.csv", views.export, name="export"),
]
