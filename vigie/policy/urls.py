from django.urls import path

from vigie.policy import views

app_name = "policy"
urlpatterns = [
    path("", views.rule_list, name="list"),
    path("nouvelle/", views.rule_edit, name="new"),
    path("<int:pk>/", views.rule_edit, name="edit"),
]
