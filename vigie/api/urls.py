from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from vigie.api import views
from vigie.indicators.api import Indicators
from vigie.planning.api import PlanningList

app_name = "api"
urlpatterns = [
    path("messages", views.MessageList.as_view(), name="messages"),
    path("messages/<int:pk>", views.MessageDetail.as_view(), name="message"),
    path("threads", views.ThreadList.as_view(), name="threads"),
    path("threads/<int:pk>", views.ThreadDetail.as_view(), name="thread"),
    path("planning", PlanningList.as_view(), name="planning"),
    path("indicators", Indicators.as_view(), name="indicators"),
    path("schema", SpectacularAPIView.as_view(authentication_classes=[], permission_classes=[]), name="schema"),
]
