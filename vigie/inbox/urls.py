from django.urls import path

from vigie.inbox import views

app_name = "inbox"
urlpatterns = [
    path("", views.inbox, name="list"),
    path("publications/", views.by_post, name="posts"),
    path("nouveaux", views.fresh, name="fresh"),
    path("lot", views.bulk, name="bulk"),
    path("element/<int:pk>/", views.item_detail, name="item"),
    path("element/<int:pk>/direct", views.item_live, name="item_live"),
    path("element/<int:pk>/attribuer", views.assign, name="assign"),
    path("element/<int:pk>/statut", views.change_status, name="status"),
    path("element/<int:pk>/note", views.add_note, name="note"),
    path("fil/<int:pk>/", views.thread_detail, name="thread"),
    path("fil/<int:pk>/repondre", views.reply, name="reply"),
    path("message/<int:pk>/moderer", views.moderate, name="moderate"),
    path("message/<int:pk>/preuve", views.capture_evidence, name="capture_evidence"),
    path("envoi/<int:pk>/annuler", views.cancel_moderation, name="cancel_action"),
    path("message/<int:pk>/etiquette", views.correct_label, name="correct_label"),
    path("message/<int:pk>/personnel-vise", views.mark_staff_target, name="mark_staff_target"),
    path("reponse/<int:pk>/approuver", views.approve_reply, name="approve"),
    path("reponse/<int:pk>/refuser", views.reject_reply, name="reject"),
    path("approbations/", views.approvals, name="approvals"),
]
