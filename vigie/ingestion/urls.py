from django.urls import path

from vigie.ingestion import views

app_name = "ingestion"
urlpatterns = [
    path("echecs/", views.failed_events, name="failed"),
    path("echecs/<int:pk>/relancer", views.retry, name="retry"),
]
