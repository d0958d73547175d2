from django.urls import path

from vigie.moderation import views

app_name = "moderation"
urlpatterns = [
    path("", views.outbox_page, name="outbox"),
    path("<int:pk>/relancer", views.retry, name="retry"),
]
