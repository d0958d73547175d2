from django.urls import path

from vigie.helpdesk import views

app_name = "helpdesk"

urlpatterns = [
    path("", views.task_list, name="tasks"),
    path("element/<int:item_pk>/creer", views.create_task, name="create"),
    path("element/<int:item_pk>/demande-complexe", views.complex_request, name="complex-request"),
    path("<int:pk>/terminer", views.close_task, name="close"),
    path("freshdesk/connecter", views.connect_freshdesk, name="freshdesk-connect"),
    path("freshdesk/deconnecter", views.disconnect_freshdesk, name="freshdesk-disconnect"),
]
