from django.urls import path

from vigie.records import views

app_name = "records"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("reclamations/", views.complaints, name="complaints"),
    path("reclamations.csv", views.complaints_export, name="complaints_export"),
    path("reclamations/<int:pk>/", views.complaint, name="complaint"),
    path("reclamations/inscrire/<int:message_id>", views.complaint_log, name="complaint_log"),
    path("moderation/", views.moderation, name="moderation"),
    path("moderation.csv", views.moderation_export, name="moderation_export"),
    path("moderation/signalement/<int:message_id>", views.report, name="report"),
    path("crises/", views.crisis_register, name="crises"),
    path("crises.csv", views.crisis_register_export, name="crises_export"),
    path("controle/", views.quality_list, name="quality"),
    path("controle/tirer", views.quality_draw, name="quality_draw"),
    path("controle/<int:pk>/", views.quality_check, name="quality_check"),
    path("controle/echantillon/<int:pk>", views.quality_review, name="quality_review"),
    path("actions/", views.improvement_list, name="improvements"),
    path("actions/nouvelle", views.improvement_new, name="improvement_new"),
    path("actions/<int:pk>/", views.improvement, name="improvement"),
    path("donnees-personnelles/", views.privacy_page, name="privacy"),
    path("donnees-personnelles/conservation/<int:pk>", views.retention_policy, name="retention_policy"),
    path("donnees-personnelles/conservation/executer", views.retention_run, name="retention_run"),
    path("donnees-personnelles/personne/<int:pk>/", views.person, name="person"),
    path("donnees-personnelles/personne/<int:pk>.<str:fmt>", views.person_export, name="person_export"),
    path("donnees-personnelles/personne/<int:pk>/effacer", views.person_erase, name="person_erase"),
    path("donnees-personnelles/personne/<int:pk>/retenir", views.person_hold, name="person_hold"),
    path("donnees-personnelles/retenue/<int:pk>/lever", views.hold_release, name="hold_release"),
    path("donnees-personnelles/registre-des-traitements/", views.processing_record, name="processing"),
]
